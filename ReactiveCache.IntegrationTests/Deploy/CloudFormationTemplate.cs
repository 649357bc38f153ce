using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReactiveCache.IntegrationTests.Deploy;

/// <summary>
/// A CloudFormation template (YAML) as JSON: the short-form tags become their long forms (<c>!Ref x</c> →
/// <c>{"Ref": "x"}</c>, <c>!Sub s</c> → <c>{"Fn::Sub": "s"}</c>, <c>!GetAtt a.b</c> → <c>{"Fn::GetAtt": ["a", "b"]}</c>),
/// as CloudFormation reads them. YamlDotNet keeps the tags; nothing in it maps them.
/// </summary>
public sealed partial class CloudFormationTemplate
{
    private CloudFormationTemplate(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public JsonObject Resources => Root["Resources"]!.AsObject();

    public static CloudFormationTemplate Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        return new CloudFormationTemplate(Convert(yaml.Documents[0].RootNode)!.AsObject());
    }

    public JsonObject Resource(string logicalId) =>
        Resources[logicalId]?.AsObject() ?? throw new KeyNotFoundException($"The template has no resource {logicalId}.");

    /// <summary>The text under <c>Fn::Base64: Fn::Sub</c> (e.g. an instance's user data), before substitution.</summary>
    public string UserData(string logicalId) =>
        Resource(logicalId)["Properties"]!["UserData"]!["Fn::Base64"]!["Fn::Sub"]!.GetValue<string>();

    /// <summary>
    /// The files a user data script writes with <c>cat &gt; PATH &lt;&lt;'EOF'</c> … <c>EOF</c>: path → lines.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HeredocFiles(string logicalId) =>
        Heredoc().Matches(UserData(logicalId)).ToDictionary(
            m => m.Groups["path"].Value,
            m => (IReadOnlyList<string>)m.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c =>
                KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
            YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new NotSupportedException(node.GetType().Name),
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith('!') || tag.StartsWith("!!", StringComparison.Ordinal) || tag.StartsWith("tag:", StringComparison.Ordinal))
        {
            return value;
        }

        var name = tag[1..];
        return name switch
        {
            "Ref" or "Condition" => new JsonObject { [name] = value },
            "GetAtt" when value is JsonValue dotted => new JsonObject { ["Fn::GetAtt"] = new JsonArray([.. dotted.GetValue<string>().Split('.', 2).Select(p => (JsonNode)p)]) },
            _ => new JsonObject { [$"Fn::{name}"] = value },
        };
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted
            or YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"cat > (?<path>\S+) <<'EOF'\n(?<body>.*?)\nEOF", RegexOptions.Singleline)]
    private static partial Regex Heredoc();
}
