using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Gvnic.Platform.Tracing;

/// <summary>
/// What each BAR2 doorbell index belongs to, as the recorder learned it from the device's answers: a queue
/// (CREATE_TX_QUEUE / CREATE_RX_QUEUE queue resources, <c>db_index</c>) or a notification block (the IRQ doorbell array of
/// CONFIGURE_DEVICE_RESOURCES), and whether the queues are DQO (little-endian doorbells) or GQI.
/// </summary>
internal sealed class DoorbellRoles
{
    private readonly Dictionary<uint, DoorbellRole> _byIndex = [];

    /// <summary>Whether the configured queue format is DQO (from CONFIGURE_DEVICE_RESOURCES).</summary>
    public bool Dqo { get; set; }

    /// <summary>The role of doorbell <paramref name="index"/>, when known.</summary>
    public bool TryGet(uint index, out DoorbellRole role) => _byIndex.TryGetValue(index, out role!);

    /// <summary>Doorbell <paramref name="index"/> belongs to TX (or RX) queue <paramref name="queue"/>.</summary>
    public void AddQueue(uint index, bool tx, uint queue)
    {
        RemoveQueue(tx, queue);
        _byIndex[index] = new DoorbellRole(false, tx, (int)queue, JsonEncodedText.Encode((tx ? "tx " : "rx ") + queue.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Doorbell <paramref name="index"/> belongs to notification block <paramref name="block"/>.</summary>
    public void AddBlock(uint index, int block) => _byIndex[index] = new DoorbellRole(true, false, block, default);

    /// <summary>The queue was destroyed: its doorbell belongs to nothing.</summary>
    public void RemoveQueue(bool tx, uint queue)
    {
        foreach (var (index, role) in _byIndex)
        {
            if (!role.IsBlock && role.IsTx == tx && role.Number == queue)
            {
                _byIndex.Remove(index);
                return;
            }
        }
    }

    /// <summary>The device resources were released (or the device reset): no doorbell belongs to anything.</summary>
    public void Clear() => _byIndex.Clear();
}
