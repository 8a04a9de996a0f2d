namespace Gvnic.Driver;

/// <summary>Which part of a NIC's life a <see cref="NicBringUpStep"/> belongs to.</summary>
public enum NicPhase
{
    /// <summary><see cref="Nic.Open"/>.</summary>
    BringUp,

    /// <summary><see cref="Nic.Dispose"/>, or the undo after a failed <see cref="Nic.Open"/>.</summary>
    Teardown,
}
