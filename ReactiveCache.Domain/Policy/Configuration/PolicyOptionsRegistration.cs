using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReactiveCache.Domain.Policy.Configuration;

public static class PolicyOptionsRegistration
{
    /// <summary>Binds <see cref="PolicyOptions"/> to the <c>Policy</c> section and validates it at start.</summary>
    public static OptionsBuilder<PolicyOptions> AddPolicyOptions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>());
        return services.AddOptions<PolicyOptions>()
            .BindConfiguration(PolicyOptions.SectionName)
            .ValidateOnStart();
    }
}
