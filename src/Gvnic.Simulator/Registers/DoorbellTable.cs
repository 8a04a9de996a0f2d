using System.Collections.Generic;

namespace Gvnic.Simulator.Registers;

/// <summary>Which notification block or queue owns each BAR2 doorbell word: filled by the control plane, read by <see cref="Bar2DoorbellFile"/>.</summary>
internal sealed class DoorbellTable
{
    private readonly Dictionary<uint, IDoorbellTarget> _owners = new();

    /// <summary>Gives doorbell <paramref name="index"/> to <paramref name="owner"/>.</summary>
    public void Assign(uint index, IDoorbellTarget owner) => _owners[index] = owner;

    /// <summary>Doorbell <paramref name="index"/> belongs to nothing from now on.</summary>
    public void Release(uint index) => _owners.Remove(index);

    public bool TryGet(uint index, out IDoorbellTarget? owner) => _owners.TryGetValue(index, out owner);

    public void Clear() => _owners.Clear();
}
