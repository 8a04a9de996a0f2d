using System;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>Reads what QUERY_RSS wrote: a <see cref="QueryRssDescriptor"/>, the key, then the table as big-endian u32 entries; every number checked.</summary>
internal static class RssAnswer
{
    private const string What = "QUERY_RSS answer";

    /// <exception cref="DeviceFaultException">total_length is not descriptor + key + table, the algorithm is not Toeplitz, or an entry names no RX queue.</exception>
    public static RssConfiguration Parse(ReadOnlySpan<byte> answer, int keySize, int tableSize, int rxQueues)
    {
        QueryRssDescriptor d = QueryRssDescriptor.Read(answer);
        int expected = QueryRssDescriptor.Size + keySize + tableSize * RssLutEntry.Size;
        if (d.TotalLength != expected)
            throw new DeviceFaultException(What, "total_length", -1, d.TotalLength, "expected " + expected + " (the " + QueryRssDescriptor.Size + "-byte descriptor, a "
                + keySize + "-byte key and " + tableSize + " table entries of " + RssLutEntry.Size + " bytes)");
        if (d.HashAlg != RssHashAlg.Toeplitz)
            throw new DeviceFaultException(What, "hash_alg", -1, (ulong)d.HashAlg, "gVNIC hashes with Toeplitz (1) only");
        if (!RssHashTypesInfo.IsDefined(d.HashTypes))
            throw new DeviceFaultException(What, "hash_types", -1, (ulong)d.HashTypes, "bits outside the known 0x" + ((ushort)RssHashTypesInfo.All).ToString("X"));
        byte[] key = answer.Slice(QueryRssDescriptor.Size, keySize).ToArray();
        var table = new int[tableSize];
        ReadOnlySpan<byte> entries = answer.Slice(QueryRssDescriptor.Size + keySize);
        for (int i = 0; i < tableSize; i++)
        {
            uint queue = RssLutEntry.Read(entries.Slice(i * RssLutEntry.Size)).Queue;
            if (queue >= (uint)rxQueues)
                throw new DeviceFaultException(What, "indirection table entry", i, queue, "the NIC has " + rxQueues + " RX queues");
            table[i] = (int)queue;
        }
        return new RssConfiguration { HashTypes = d.HashTypes, HashAlgorithm = d.HashAlg, Key = key, IndirectionTable = table };
    }
}
