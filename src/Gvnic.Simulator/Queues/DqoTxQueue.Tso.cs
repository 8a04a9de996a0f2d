using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

// What the device checks of a DQO TSO packet, the limits upstream keeps to (gve_prep_tso, gve_can_send_tso).
internal sealed partial class DqoTxQueue
{
    /// <summary>
    /// What is wrong with a TSO context of <paramref name="mss"/>, <paramref name="headerLen"/> and
    /// <paramref name="tsoTotal"/> for a packet of <paramref name="total"/> bytes in <paramref name="buffers"/>, or null.
    /// </summary>
    private static string? TsoContextProblem(List<(ulong Addr, int Len)> buffers, int mss, int headerLen, int tsoTotal, int total)
    {
        if (mss < GvnicConstants.TxMinTsoMssDqo) return "mss below the minimum of " + GvnicConstants.TxMinTsoMssDqo + " (tx_min_tso_mss_dqo)";
        if (headerLen == 0) return "header_len 0 (the device repeats the headers in every segment)";
        if (headerLen > GvnicConstants.TxMaxHdrSizeDqo) return "header_len above " + GvnicConstants.TxMaxHdrSizeDqo + " (tx_max_hdr_size_dqo)";
        if (total > GvnicConstants.DqoTxMax) return "the packet is larger than " + GvnicConstants.DqoTxMax + " bytes (dqo_tx_max)";
        if (tsoTotal != total - headerLen) return "tso_total_len is not the packet's bytes after its header (" + (total - headerLen) + ")";
        int worst = 0, worstSegment = 0, segment = 0;
        int first = 0, firstStart = 0; // the first buffer that may hold the segment's payload, and where it starts in the packet
        for (int start = headerLen; start < total; start += mss, segment++)
        {
            int end = Math.Min(start + mss, total);
            while (firstStart + buffers[first].Len <= start)
            {
                firstStart += buffers[first].Len;
                first++;
            }
            int used = 1; // the header counts once for every segment
            for (int b = first, at = firstStart; b < buffers.Count && at < end; at += buffers[b].Len, b++) used++;
            if (used > worst)
            {
                worst = used;
                worstSegment = segment;
            }
        }
        if (worst > GvnicConstants.TxMaxDataDescs)
            return "segment " + worstSegment + " spans " + worst + " data descriptors (the header counted once), more than " + GvnicConstants.TxMaxDataDescs + " (tx_max_data_descs)";
        return null;
    }
}
