using System.Globalization;
using ReactiveCache.Domain.Policy.Configuration;
using ReactiveCache.Domain.Simulation.Evaluation;
using ReactiveCache.Domain.Traces.Generators;

namespace ReactiveCache.UnitTests.Domain.Simulation.Evaluation;

/// <summary>
/// docs/results/policies.md (report --policies, 20 seeds) as it stands: the default policy is not yet within 1.25× OPT
/// on every row (issue 16's goal). What is true is asserted so that it cannot regress: the number of rows within the
/// bound, the default's mean J / OPT, and the thesis and both baselines above the default on average. Two rows are
/// recomputed at the table's seeds, so that the table is the policy's current one.
/// </summary>
public sealed class PolicyTableTests
{
    private const double Bound = 1.25;
    private const int RowsWithinBound = 63;
    // the mean of the table's (rounded) default cells, to four places
    private const double DefaultMeanRatio = 1.2686;
    private static readonly int[] TableSeeds = [.. Enumerable.Range(1, 20)];

    [Fact]
    public void The_table_has_at_least_its_rows_within_the_bound_and_the_default_below_the_thesis_and_baselines_on_average()
    {
        var rows = Rows();
        Assert.Equal(100, rows.Count);
        // within: not bold (the table bolds a cell above the bound before rounding, so a bold 1.25 is above it)
        int within = rows.Count(r => !r.DefaultAbove);
        Assert.True(within >= RowsWithinBound, $"rows within {Bound}: {within}");
        double[] means = [.. Enumerable.Range(0, 4).Select(k => rows.Average(r => r.Ratios[k]))];
        Assert.True(means[0] <= DefaultMeanRatio + 0.00005, $"default mean J / OPT {means[0]:0.0000}");
        Assert.All(means.Skip(1), m => Assert.True(m > means[0], $"means {string.Join(", ", means)}"));
    }

    [Theory]
    [InlineData("spike-20", 1)]
    [InlineData("poisson-0.5", 5)]
    public void A_row_recomputed_at_the_tables_seeds_matches_the_table(string family, int sensitivity)
    {
        var row = EvaluationRow.Family(TraceFamilies.Find(family)!);
        var r = PolicyEvaluation.Run(row, sensitivity, TableSeeds);
        var table = Rows().Single(x => x.Row == family && x.Sensitivity == sensitivity);
        for (int k = 0; k < PolicyEvaluation.Policies.Count; k++)
        {
            Assert.Equal(table.Ratios[k], Math.Round(r.Policies[k].Ratio, 2), 3);
        }

        Assert.Equal(table.OnlineBound, r.OnlineBound is { } b ? Math.Round(b, 2) : null);
    }

    [Fact]
    public void The_online_bound_is_above_the_bound_on_two_poisson_rows_and_given_on_the_poisson_families_only()
    {
        var rows = Rows();
        Assert.Equal(["poisson-0.5 s4", "poisson-2 s3"], rows.Where(r => r.OnlineBound > Bound).Select(r => $"{r.Row} s{r.Sensitivity}"));
        Assert.Equal(20, rows.Count(r => r.OnlineBound is not null)); // four Poisson families, five sensitivities
        Assert.All(rows.Where(r => r.OnlineBound is not null), r => Assert.StartsWith("poisson-", r.Row, StringComparison.Ordinal));
    }

    // the table's rows: name (without the rate), sensitivity, J / OPT of default, thesis, always-on, s3-only, and
    // whether the default's cell is bold (above the bound), and the online bound (null: none, –)
    private static List<(string Row, int Sensitivity, double[] Ratios, bool DefaultAbove, double? OnlineBound)> Rows()
    {
        var rows = new List<(string, int, double[], bool, double?)>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "results", "policies.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length != 11 || !cells[1].Contains("(rate ", StringComparison.Ordinal))
            {
                continue;
            }

            string name = cells[1][..cells[1].IndexOf(" (rate ", StringComparison.Ordinal)];
            double[] ratios = [.. cells[5..9].Select(c => double.Parse(c.Trim('*'), CultureInfo.InvariantCulture))];
            double? bound = cells[9] == "–" ? null : double.Parse(cells[9].Trim('*'), CultureInfo.InvariantCulture);
            rows.Add((name, int.Parse(cells[2], CultureInfo.InvariantCulture), ratios, cells[5].StartsWith("**", StringComparison.Ordinal), bound));
        }

        return rows;
    }
}
