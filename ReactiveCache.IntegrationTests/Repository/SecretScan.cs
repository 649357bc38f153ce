using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReactiveCache.IntegrationTests.Repository;

/// <summary>One thing that looks like a secret: where, and which rule found it (never the value itself).</summary>
public sealed record SecretFinding(string Path, int Line, string Rule)
{
    public override string ToString() => $"{Path}:{Line}: {Rule}";
}

/// <summary>
/// Looks through files for secrets that must never be committed: AWS access key ids (<c>AKIA…</c>, <c>ASIA…</c>) and
/// secret keys given under their names, private keys (PEM), and passwords, secrets, keys and tokens written as
/// literals in configuration (appsettings*.json, launchSettings.json, YAML). Hand-written: no secret scanner is
/// among the packages served here, and these rules are the ones this repository needs.
/// </summary>
public static partial class SecretScan
{
    /// <summary>Published test vectors, allowed by path (AWS's SigV4 test suite uses AWS's documented example keys).</summary>
    public static readonly IReadOnlySet<string> AllowedPaths = new HashSet<string>(StringComparer.Ordinal)
    {
        "ReactiveCache.UnitTests/Core/Aws/SigV4SignerTests.cs",
    };

    /// <summary>The files git tracks under <paramref name="root"/>, as paths relative to it.</summary>
    public static IReadOnlyList<string> TrackedFiles(string root)
    {
        var info = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(info) ?? throw new InvalidOperationException("git did not start.");
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files exited with {git.ExitCode}.");
        }

        return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Every finding in <paramref name="files"/> (relative to <paramref name="root"/>), allowed paths skipped.</summary>
    public static IReadOnlyList<SecretFinding> Scan(string root, IEnumerable<string> files)
    {
        var findings = new List<SecretFinding>();
        foreach (var file in files.Where(f => !AllowedPaths.Contains(f)))
        {
            var path = Path.Combine(root, file);
            if (!File.Exists(path) || new FileInfo(path).Length > 4 * 1024 * 1024)
            {
                continue;
            }

            var text = File.ReadAllText(path);
            if (text.Contains('\0'))
            {
                continue; // binary
            }

            findings.AddRange(ScanText(file, text));
        }

        return findings;
    }

    private static IEnumerable<SecretFinding> ScanText(string file, string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (AccessKeyId().IsMatch(lines[i]))
            {
                yield return new SecretFinding(file, i + 1, "AWS access key id");
            }

            if (SecretAccessKey().IsMatch(lines[i]))
            {
                yield return new SecretFinding(file, i + 1, "AWS secret access key");
            }

            if (PrivateKey().IsMatch(lines[i]))
            {
                yield return new SecretFinding(file, i + 1, "private key");
            }
        }

        var name = Path.GetFileName(file);
        if (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || name.Equals("launchSettings.json", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var finding in JsonLiterals(file, text))
            {
                yield return finding;
            }
        }
        else if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            for (var i = 0; i < lines.Length; i++)
            {
                if (YamlSecret().Match(lines[i]) is { Success: true } match && IsLiteral(match.Groups["value"].Value.Trim()))
                {
                    yield return new SecretFinding(file, i + 1, $"literal '{match.Groups["name"].Value}' in configuration");
                }
            }
        }
    }

    private static IEnumerable<SecretFinding> JsonLiterals(string file, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            yield break;
        }

        using (document)
        {
            var stack = new Stack<JsonElement>([document.RootElement]);
            while (stack.TryPop(out var element))
            {
                if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray())
                    {
                        stack.Push(item);
                    }
                }
                else if (element.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.String && SecretName().IsMatch(property.Name) && IsLiteral(property.Value.GetString()!))
                        {
                            yield return new SecretFinding(file, LineOf(text, property.Name), $"literal '{property.Name}' in configuration");
                        }

                        stack.Push(property.Value);
                    }
                }
            }
        }
    }

    /// <summary>A value written out, not a reference (<c>!Ref</c>, <c>${…}</c>, <c>{{resolve:…}}</c>), an ARN or an empty placeholder.</summary>
    private static bool IsLiteral(string value)
    {
        var v = value.Trim().Trim('"', '\'');
        return v.Length > 0 && v is not ("null" or "~" or "true" or "false") && v[0] is not ('!' or '$' or '{' or '<' or '|' or '>' or '&' or '*' or '#')
               && !v.StartsWith("arn:", StringComparison.Ordinal);
    }

    private static int LineOf(string text, string propertyName)
    {
        var at = text.IndexOf($"\"{propertyName}\"", StringComparison.Ordinal);
        return at < 0 ? 0 : text.AsSpan(0, at).Count('\n') + 1;
    }

    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AccessKeyId();

    [GeneratedRegex(@"(?i)(aws_?secret_?(access_?)?key|secret_?access_?key)[""']?\s*[:=]\s*[""']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])")]
    private static partial Regex SecretAccessKey();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?i)(password|passwd|secret|api_?key|access_?key|token)")]
    private static partial Regex SecretName();

    // "token" but not "tokens": a setting about tokens (CloudFormation's HttpTokens: required, IMDSv2) holds none.
    [GeneratedRegex(@"^\s*-?\s*(?<name>[A-Za-z0-9_.-]*(?i:password|passwd|secret|api_?key|access_?key|token(?!s))[A-Za-z0-9_.-]*)\s*:\s*(?<value>\S.*)$")]
    private static partial Regex YamlSecret();
}
