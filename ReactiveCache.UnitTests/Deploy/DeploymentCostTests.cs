using System.Globalization;
using ReactiveCache.Domain.Costs;

namespace ReactiveCache.UnitTests.Deploy;

/// <summary>deploy/README.md's cost per hour is the project's cost model applied to the deployment, idle and busy.</summary>
public sealed class DeploymentCostTests
{
    private const double Hour = 3600;

    /// <summary>The app host runs; the node is stopped; no function runs.</summary>
    private static Usage Idle()
    {
        var usage = new Usage();
        usage.NodeRunSeconds.Add(Hour); // the app host, one more t2.micro
        return usage;
    }

    /// <summary>
    /// The app host and the node run the hour; one 1024 MB function runs the hour (four 900 s invocations, each a
    /// cold start reading its object); 10 requests/s fall through to S3; ten objects are loaded onto the node.
    /// </summary>
    private static Usage Busy()
    {
        var usage = new Usage
        {
            FunctionInvocations = 4,
            FunctionColdStarts = 4,
            FunctionBilledMs = 4 * 900_000,
            ClientS3Gets = 10 * 3600,
            ColdStartS3Gets = 4,
            NodeLoadS3Gets = 10,
        };
        usage.NodeRunSeconds.Add(Hour); // the app host
        usage.NodeRunSeconds.Add(Hour); // the cache node
        return usage;
    }

    [Theory]
    [InlineData("thesis-frankfurt", "eu-central-1")]
    [InlineData("us-east-1", "us-east-1")]
    public void The_readme_shows_the_models_idle_and_busy_cost_per_hour(string table, string region)
    {
        var prices = PriceTable.Find(table)!;
        Assert.Equal(region, prices.Region);
        var idle = CostModel.Price(Idle(), prices).Total.ToString("0.0000", CultureInfo.InvariantCulture);
        var busy = CostModel.Price(Busy(), prices).Total.ToString("0.0000", CultureInfo.InvariantCulture);

        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "README.md"));

        Assert.Contains($"| {region} ({table}) | {idle} | {busy} |", readme);
    }
}
