namespace ReactiveCache.Cli.Commands.Bench;

/// <summary>A <see cref="VerdictRule"/> applied to one object's rows: both figures, their ratio (or difference), and whether it met the threshold.</summary>
/// <param name="Measured">The rule's metric of its target row.</param>
/// <param name="Baseline">The rule's metric of the row it is compared against.</param>
/// <param name="Errors">The target row's errors: a row with any does not meet its threshold.</param>
/// <param name="FloorMeasured">The rule's metric of its floor row (<see cref="VerdictRule.Floor"/>), when it has one.</param>
public sealed record Verdict(string Object, VerdictRule Rule, double Measured, double Baseline, long Errors, double? FloorMeasured = null)
{
    /// <summary>Measured / baseline, or measured − baseline for a <see cref="VerdictScale.Difference"/> rule.</summary>
    public double Value => Rule.Value(Measured, Baseline);

    public double? Threshold => Rule.Threshold;

    /// <summary>The floor's value against the same baseline (null without a floor).</summary>
    public double? FloorValue => FloorMeasured is { } floor ? Rule.Value(floor, Baseline) : null;

    /// <summary>Null for a reference ratio (no threshold). A NaN ratio (a row with no answer) does not meet any.</summary>
    public bool? Met => Rule.Meets(Value) is { } meets ? Errors == 0 && meets : null;

    /// <summary>
    /// Not met, and the floor (a bare server paying the same hop, nothing of ours) misses the threshold too: the
    /// target cannot be decided on this machine.
    /// </summary>
    public bool Blocked => Met == false && Errors == 0 && FloorValue is { } floor && Rule.Meets(floor) == false;
}
