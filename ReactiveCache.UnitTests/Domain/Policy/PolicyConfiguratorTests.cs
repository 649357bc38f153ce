using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReactiveCache.Domain.Policy.Configuration;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class PolicyConfiguratorTests
{
    // docs/thesis.md §2, row by row: rate, sensitivity, TICK, lambdaThreshold, redisUtilization (seconds).
    [Theory]
    [InlineData(3, 2, 8, 16, 140)]
    [InlineData(3, 3, 12, 24, 160)]
    [InlineData(3, 4, 16, 32, 180)]
    [InlineData(4, 2, 6, 12, 105)]
    [InlineData(4, 3, 9, 18, 120)]
    [InlineData(4, 4, 12, 24, 135)]
    [InlineData(6, 2, 4, 8, 70)]
    [InlineData(6, 3, 6, 12, 80)]
    [InlineData(6, 4, 8, 16, 90)]
    [InlineData(9, 4, 5, 10, 60)]
    public void Reproduces_the_thesis_table(double rate, int sensitivity, int tick, int lambdaThreshold, int redisUtilization)
    {
        var p = PolicyConfigurator.Derive(rate, sensitivity);
        Assert.Equal(TimeSpan.FromSeconds(tick), p.Tick);
        Assert.Equal(TimeSpan.FromSeconds(lambdaThreshold), p.LambdaThreshold);
        Assert.Equal(TimeSpan.FromSeconds(redisUtilization), p.RedisUtilization);
        Assert.Equal(4, p.RedisThreshold);
        Assert.Equal(2, p.LambdaWindowElements);
        Assert.Equal(TimeSpan.FromMinutes(1), p.RedisCheckInterval);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(10, 3)]
    [InlineData(-1, 3)]
    [InlineData(3, 0)]
    [InlineData(3, 6)]
    public void Refuses_out_of_range_input(double rate, int sensitivity)
    {
        Assert.NotNull(PolicyConfigurator.Validate(rate, sensitivity));
        Assert.Throws<ArgumentOutOfRangeException>(() => PolicyConfigurator.Derive(rate, sensitivity));
    }

    [Fact]
    public void Options_bind_from_the_Policy_section_and_overrides_win()
    {
        var provider = Build(new Dictionary<string, string?>
        {
            ["Policy:Kind"] = "Thesis",
            ["Policy:Rate"] = "3",
            ["Policy:Sensitivity"] = "4",
            ["Policy:TickSeconds"] = "2",
        });
        var options = provider.GetRequiredService<IOptions<PolicyOptions>>().Value;
        var p = options.ToParameters();
        Assert.Equal(TimeSpan.FromSeconds(2), p.Tick);
        Assert.Equal(TimeSpan.FromSeconds(32), p.LambdaThreshold);
    }

    [Fact]
    public void The_default_policy_decides_with_the_simulators_startup_model_unless_configured_otherwise()
    {
        var options = Build(new Dictionary<string, string?> { ["Policy:Kind"] = "Default" }).GetRequiredService<IOptions<PolicyOptions>>().Value;
        Assert.Equal(new ReactiveCache.Domain.Simulation.StartupModel(), options.Startup);
        var policy = Assert.IsType<ReactiveCache.Domain.Policy.Default.DefaultPolicy>(
            ReactiveCache.Domain.Policy.PolicyFactory.Create(options, TimeProvider.System));
        Assert.Equal(new ReactiveCache.Domain.Simulation.StartupModel(), policy.Settings.Startup);
    }

    [Fact]
    public void The_startup_model_binds_from_Policy_Startup_and_reaches_the_default_policy()
    {
        var options = Build(new Dictionary<string, string?>
        {
            ["Policy:Kind"] = "Default",
            ["Policy:Startup:NodeBootMinSeconds"] = "20",
            ["Policy:Startup:NodeBootMeanSeconds"] = "40",
            ["Policy:Startup:NodeStopSeconds"] = "60",
            ["Policy:Startup:FunctionColdMs"] = "300",
        }).GetRequiredService<IOptions<PolicyOptions>>().Value;
        var expected = new ReactiveCache.Domain.Simulation.StartupModel() with
        {
            NodeBootMinSeconds = 20, NodeBootMeanSeconds = 40, NodeStopSeconds = 60, FunctionColdMs = 300,
        };
        Assert.Equal(expected, options.Startup);
        var policy = Assert.IsType<ReactiveCache.Domain.Policy.Default.DefaultPolicy>(
            ReactiveCache.Domain.Policy.PolicyFactory.Create(options, TimeProvider.System));
        Assert.Equal(expected, policy.Settings.Startup);
    }

    [Fact]
    public void A_startup_model_with_the_boot_mean_below_its_minimum_fails_validation()
    {
        var provider = Build(new Dictionary<string, string?> { ["Policy:Startup:NodeBootMeanSeconds"] = "5" });
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PolicyOptions>>().Value);
        Assert.Contains("Policy:Startup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_fail_validation_with_a_clear_message()
    {
        var provider = Build(new Dictionary<string, string?> { ["Policy:Rate"] = "12", ["Policy:Sensitivity"] = "4" });
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PolicyOptions>>().Value);
        Assert.Contains("rate must be greater than 0 and less than 10", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddPolicyOptions();
        return services.BuildServiceProvider();
    }
}
