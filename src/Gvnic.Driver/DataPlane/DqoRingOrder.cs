using System.Runtime.CompilerServices;
using System.Threading;
using Gvnic.Rings;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// The check that a DQO device wrote its completion ring in order: an entry that is not new while a later one is
/// means a generation bit went wrong, and the ring cannot be trusted any more. Shared by the TX and RX queues;
/// generic over a struct reader so it allocates nothing.
/// </summary>
internal static class DqoRingOrder
{
    /// <summary>
    /// The data path's look-ahead: the head is not new; if the entry after it is, throws. The common case (the next entry
    /// is not new either) is one generation-bit read, inlined into the caller; the rest is <see cref="CheckAgain"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckNext<TRing>(TRing ring, DqoGeneration head, string queue) where TRing : struct, IGenerationBits
    {
        DqoGeneration next = head;
        next.Advance();
        if (next.IsNew(ring.Generation(next.Slot))) CheckAgain(ring, head, next, queue);
    }

    /// <summary>The entry after the head is new: looks at the head again after a fence; throws unless the device has just written it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckAgain<TRing>(TRing ring, DqoGeneration head, DqoGeneration next, string queue) where TRing : struct, IGenerationBits
    {
        Interlocked.MemoryBarrier(); // completions are written in ring order: look at this one again after seeing the next
        bool bit = ring.Generation(head.Slot);
        if (head.IsNew(bit)) return;
        throw new DeviceFaultException(queue, "generation", head.Slot, bit ? 1UL : 0UL,
            "the completion at index " + next.Slot + " is new but this one is not: the device wrote the generation bits out of order");
    }

    /// <summary><see cref="Nic.Service"/>'s audit: when the head is not new, no entry of the ring's <paramref name="size"/> may be.</summary>
    public static void Audit<TRing>(TRing ring, DqoGeneration head, int size, string queue) where TRing : struct, IGenerationBits
    {
        if (head.IsNew(ring.Generation(head.Slot))) return;
        DqoGeneration scan = head;
        for (int i = 1; i < size; i++)
        {
            scan.Advance();
            if (!scan.IsNew(ring.Generation(scan.Slot))) continue;
            Interlocked.MemoryBarrier();
            bool bit = ring.Generation(head.Slot);
            if (head.IsNew(bit)) return; // the device has just written the head
            throw new DeviceFaultException(queue, "generation", head.Slot, bit ? 1UL : 0UL,
                "the completion at index " + scan.Slot + " is new but this one (the head) is not: the device wrote the generation bits out of order");
        }
    }
}
