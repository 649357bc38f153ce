using System.ComponentModel.DataAnnotations;

namespace ReactiveCache.Orchestrator.Costs;

/// <summary>Configuration section <c>Costs</c>.</summary>
public sealed class CostOptions
{
    public const string SectionName = "Costs";

    /// <summary>The price table's name (see <c>PriceTable.All</c>): the thesis's Frankfurt prices by default.</summary>
    [Required]
    public string PriceTable { get; set; } = Domain.Costs.PriceTable.ThesisFrankfurt.Name;
}
