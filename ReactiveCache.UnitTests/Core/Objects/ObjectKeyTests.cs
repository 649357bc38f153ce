using ReactiveCache.Core.Objects;
using ReactiveCache.Core.Routing;
using ReactiveCache.Gateway.Objects;
using ReactiveCache.Domain;

namespace ReactiveCache.UnitTests.Core.Objects;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("index.html")]
    [InlineData("a/b/c.txt")]
    [InlineData("ünïcode/日本.txt")]
    [InlineData("..hidden")]
    [InlineData("a.b/..c")]
    public void Valid_keys_pass(string key) => Assert.Null(ObjectKey.Validate(key));

    [Theory]
    [InlineData("", ObjectKey.RuleLength)]
    [InlineData("/a", ObjectKey.RuleEmptySegment)]
    [InlineData("a/", ObjectKey.RuleEmptySegment)]
    [InlineData("a//b", ObjectKey.RuleEmptySegment)]
    [InlineData(".", ObjectKey.RuleDotSegment)]
    [InlineData("a/../b", ObjectKey.RuleDotSegment)]
    [InlineData("a/./b", ObjectKey.RuleDotSegment)]
    [InlineData("a\nb", ObjectKey.RuleControlCharacter)]
    [InlineData("a\u007fb", ObjectKey.RuleControlCharacter)]
    public void Invalid_keys_name_the_rule(string key, string rule) => Assert.Equal(rule, ObjectKey.Validate(key)?.Rule);

    [Fact]
    public void An_unpaired_surrogate_is_not_utf8() => Assert.Equal(ObjectKey.RuleUtf8, ObjectKey.Validate("a" + (char)0xD800 + "b")?.Rule);

    [Fact]
    public void The_length_limit_counts_utf8_bytes()
    {
        Assert.Null(ObjectKey.Validate(new string('a', 1024)));
        Assert.Equal(ObjectKey.RuleLength, ObjectKey.Validate(new string('a', 1025))?.Rule);
        Assert.Null(ObjectKey.Validate(new string('é', 512)));
        Assert.Equal(ObjectKey.RuleLength, ObjectKey.Validate(new string('é', 513))?.Rule);
    }
}
