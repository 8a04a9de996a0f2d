namespace Gvnic.Simulator.Registers;

/// <summary>What a BAR2 doorbell word can belong to: a notification block or a queue. It decodes the raw word itself (its format is fixed while it exists).</summary>
internal interface IDoorbellTarget
{
    /// <summary>The driver wrote <paramref name="raw"/> (as it arrived on the bus) to the doorbell.</summary>
    void Ring(uint raw);
}
