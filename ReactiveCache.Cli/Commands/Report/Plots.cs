using ReactiveCache.Cli.Results;
using ScottPlot;

namespace ReactiveCache.Cli.Commands.Report;

/// <summary>The report's figures (ScottPlot, PNG and SVG).</summary>
public static class Plots
{
    private static readonly Dictionary<string, Color> LayerColors = new()
    {
        ["s3"] = Color.FromHex("#1f77b4"),
        ["lambda"] = Color.FromHex("#ff7f0e"),
        ["redis"] = Color.FromHex("#2ca02c"),
    };

    /// <summary>Per-request latency over time, coloured by the layer that served it (the thesis's figures).</summary>
    public static IReadOnlyList<string> Timeline(ResultDocument r, string directory, string name)
    {
        var plot = new Plot();
        foreach (var (layer, color) in LayerColors)
        {
            var rows = r.RequestRows?.Where(x => x.Layer == layer).ToArray() ?? [];
            if (rows.Length == 0)
            {
                continue;
            }

            var scatter = plot.Add.ScatterPoints(rows.Select(x => x.Time).ToArray(), rows.Select(x => x.LatencyMs).ToArray());
            scatter.Color = color;
            scatter.MarkerSize = 6;
            scatter.LegendText = layer;
        }

        foreach (var run in r.NodeRuns ?? [])
        {
            var span = plot.Add.HorizontalSpan(run.Start, run.End);
            span.FillStyle.Color = LayerColors["redis"].WithAlpha(0.12);
            span.LineStyle.Width = 0;
        }

        foreach (var run in r.FunctionRuns ?? [])
        {
            var span = plot.Add.HorizontalSpan(run.Start, run.End);
            span.FillStyle.Color = LayerColors["lambda"].WithAlpha(0.12);
            span.LineStyle.Width = 0;
        }

        plot.Title(FormattableString.Invariant($"{r.Trace} — {r.Label}: {r.HitPercent:0.00} % in memory, ${r.TotalCostUsd:0.00000}"));
        plot.XLabel("time [s]");
        plot.YLabel("latency [ms]");
        plot.Axes.SetLimitsY(0, Math.Max(100, (r.RequestRows?.Count > 0 ? r.RequestRows.Max(x => x.LatencyMs) : 0) * 1.1));
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, directory, name, 1000, 420);
    }

    /// <summary>Cost per layer per system, stacked.</summary>
    public static IReadOnlyList<string> CostBars(IReadOnlyList<ResultDocument> results, string directory, string name, string title)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < results.Count; i++)
        {
            double bottom = 0;
            foreach (var (layer, color) in LayerColors)
            {
                double value = (double)results[i].CostByLayerUsd.GetValueOrDefault(layer);
                bars.Add(new Bar { Position = i, ValueBase = bottom, Value = bottom + value, FillColor = color });
                bottom += value;
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, results.Count).Select(i => (double)i)], [.. results.Select(r => r.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 120;
        foreach (var (layer, color) in LayerColors)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = layer, FillColor = color });
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel("cost [USD]");
        return Save(plot, directory, name, 1000, 520);
    }

    /// <summary>Hit % against cost across configurations, one colour per series.</summary>
    public static IReadOnlyList<string> HitVsCost(IReadOnlyList<(string Series, ResultDocument Result)> points, string directory, string name, string title)
    {
        var plot = new Plot();
        foreach (var group in points.GroupBy(p => p.Series))
        {
            var xs = group.Select(p => (double)p.Result.TotalCostUsd).ToArray();
            var ys = group.Select(p => p.Result.HitPercent).ToArray();
            var scatter = plot.Add.ScatterPoints(xs, ys);
            scatter.MarkerSize = 9;
            scatter.LegendText = group.Key;
        }

        plot.Title(title);
        plot.XLabel("total cost [USD]");
        plot.YLabel("in memory (hit) [%]");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, directory, name, 800, 560);
    }

    /// <summary>
    /// Grouped bars of ratios (one group per label, one bar per series) on a log scale, with a dashed line at
    /// <paramref name="bound"/>; bars above the plot's top are cut at it.
    /// </summary>
    public static IReadOnlyList<string> RatioBars(IReadOnlyList<string> labels, IReadOnlyList<(string Series, double[] Values)> series, double bound, string directory, string name, string title)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        double top = Math.Log10(10);
        double width = 0.8 / series.Count;
        var bars = new List<Bar>();
        for (int k = 0; k < series.Count; k++)
        {
            var color = palette.GetColor(k);
            for (int i = 0; i < labels.Count; i++)
            {
                double value = Math.Min(top, Math.Log10(Math.Max(1.0, series[k].Values[i])));
                bars.Add(new Bar { Position = i + ((k - ((series.Count - 1) / 2.0)) * width), ValueBase = 0, Value = value, FillColor = color, Size = width });
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[k].Series, FillColor = color });
        }

        plot.Add.Bars(bars);
        var line = plot.Add.HorizontalLine(Math.Log10(bound));
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Black;
        double[] ticks = [1, 1.25, 1.5, 2, 3, 5, 10];
        plot.Axes.Left.SetTicks([.. ticks.Select(Math.Log10)], [.. ticks.Select(t => t.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 150;
        plot.Axes.SetLimitsY(0, top);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        plot.YLabel("J / OPT (log scale)");
        return Save(plot, directory, name, 1400, 560);
    }

    private static IReadOnlyList<string> Save(Plot plot, string directory, string name, int width, int height)
    {
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, width, height);
        plot.SaveSvg(svg, width, height);
        return [png, svg];
    }
}
