using ReactiveCache.Domain.Policy.Default;

namespace ReactiveCache.UnitTests.Domain.Policy;

public sealed class LongGapLedgerTests
{
    private static readonly DefaultPolicySettings Settings = DefaultPolicySettings.FromSensitivity(4);

    [Theory]
    [InlineData(50, 240)]
    [InlineData(1, 200)]
    public void A_stop_moves_past_the_longer_past_gaps_only_where_stopping_in_them_would_have_lost(int returning, double stopsAfter)
    {
        // three silences of 240 s, each ended by `returning` requests 2 s apart. Against a stop at 200 s of idleness:
        // a burst of 50 coming back while the node is still stopping is worth more off the node than the 145 s of node
        // a stop saves, so the stop waits out those silences (240 s); a lone request (a miss, 86 s of node at s = 4) is
        // worth less, so the stop stays where it was
        var ledger = new LongGapLedger(new OffNodeEconomics(Settings), Settings.ComebackSeconds);
        double t = 0;
        ledger.Add(t, Settings.MissUsd, double.PositiveInfinity);
        for (int silence = 0; silence < 3; silence++)
        {
            t += 240;
            ledger.Add(t, Settings.MissUsd, 240);
            for (int i = 1; i < returning; i++)
            {
                t += 2;
                ledger.Add(t, Settings.OffNodePrice.Of(12), 2);
            }
        }

        Assert.Equal(stopsAfter, ledger.StopAfter(200));
    }

    [Fact]
    public void Without_a_longer_past_gap_the_rules_own_time_stands()
    {
        var ledger = new LongGapLedger(new OffNodeEconomics(Settings), Settings.ComebackSeconds);
        ledger.Add(0, Settings.MissUsd, double.PositiveInfinity);
        ledger.Add(100, Settings.MissUsd, 100);
        Assert.Equal(150, ledger.StopAfter(150));
    }
}
