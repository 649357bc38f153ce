using System.Text;

namespace ReactiveCache.Core.Objects;

/// <summary>A rule an object key broke, with a stable name (used in problem+json as <c>rule</c>).</summary>
public sealed record ObjectKeyViolation(string Rule, string Message);

/// <summary>
/// Validation of object keys, shared by every component (gateway, function, orchestrator):
/// S3's rules (1–1024 bytes of UTF-8) plus safety rules (no control characters, no <c>.</c> or
/// <c>..</c> segments, no empty segments: a key must name one object unambiguously on every store,
/// the folder store included).
/// </summary>
public static class ObjectKey
{
    public const int MaxBytes = 1024;

    public const string RuleLength = "key-length";
    public const string RuleUtf8 = "key-utf8";
    public const string RuleControlCharacter = "key-control-character";
    public const string RuleDotSegment = "key-dot-segment";
    public const string RuleEmptySegment = "key-empty-segment";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first rule <paramref name="key"/> breaks, or <c>null</c> when it is a valid key.</summary>
    public static ObjectKeyViolation? Validate(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return new ObjectKeyViolation(RuleLength, "A key is 1 to 1024 bytes of UTF-8; this one is empty.");
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            return new ObjectKeyViolation(RuleUtf8, "A key must be valid Unicode (it holds an unpaired surrogate).");
        }

        if (bytes > MaxBytes)
        {
            return new ObjectKeyViolation(RuleLength, $"A key is 1 to {MaxBytes} bytes of UTF-8; this one is {bytes} bytes.");
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return new ObjectKeyViolation(RuleControlCharacter,
                    $"A key must not contain control characters (found U+{(int)c:X4}).");
            }
        }

        foreach (var range in key.AsSpan().Split('/'))
        {
            var segment = key.AsSpan(range);
            if (segment.IsEmpty)
            {
                return new ObjectKeyViolation(RuleEmptySegment,
                    "A key must not start or end with '/' nor contain '//' (empty segments).");
            }

            if (segment is "." or "..")
            {
                return new ObjectKeyViolation(RuleDotSegment, "A key must not contain '.' or '..' segments.");
            }
        }

        return null;
    }

    public static bool IsValid(string? key) => Validate(key) is null;
}
