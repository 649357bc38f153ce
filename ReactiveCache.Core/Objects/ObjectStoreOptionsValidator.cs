using Microsoft.Extensions.Options;

namespace ReactiveCache.Core.Objects;

/// <summary>
/// Validates <see cref="ObjectStoreOptions"/> at start without reflection (DataAnnotations validation is
/// not trim-safe, and the Native AOT function registers the object store too).
/// </summary>
public sealed class ObjectStoreOptionsValidator : IValidateOptions<ObjectStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ObjectStoreOptions options)
    {
        var errors = options.Errors().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
