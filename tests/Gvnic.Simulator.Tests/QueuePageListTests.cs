using System;
using Gvnic.Simulator.Queues;
using Xunit;

namespace Gvnic.Simulator.Tests;

/// <summary>The DQO page-list check (whether bytes lie inside one registered page), by binary search, against its definition: some page holds them.</summary>
public sealed class QueuePageListTests
{
    private const ulong Page = 4096;

    [Fact]
    public void ContainsAddressAgreesWithAScanOverThePages()
    {
        var random = new Random(4096);
        for (int round = 0; round < 200; round++)
        {
            // Pages in random order, some unaligned, some repeated, some overlapping, a few at the top of the address space.
            var pages = new ulong[1 + random.Next(40)];
            for (int i = 0; i < pages.Length; i++)
            {
                pages[i] = random.Next(6) switch
                {
                    0 => (ulong)random.Next(64) * Page + (ulong)random.Next(4096),
                    1 => ulong.MaxValue - (ulong)random.Next(8192),
                    2 when i > 0 => pages[random.Next(i)],
                    _ => (ulong)random.Next(64) * Page,
                };
            }
            var list = new QueuePageList(7, pages);
            for (int probe = 0; probe < 300; probe++)
            {
                ulong address = random.Next(8) == 0 ? ulong.MaxValue - (ulong)random.Next(10000) : (ulong)random.Next(66 * 4096);
                int length = random.Next(3) == 0 ? random.Next(5000) : random.Next(64);
                Assert.Equal(Scan(pages, address, length), list.ContainsAddress(address, length));
            }
        }
    }

    [Fact]
    public void BytesInsideOnePageOnly()
    {
        var list = new QueuePageList(1, [3 * Page, 1 * Page, 2 * Page]);
        Assert.True(list.ContainsAddress(1 * Page, 4096));
        Assert.True(list.ContainsAddress(3 * Page + 4000, 96));
        Assert.False(list.ContainsAddress(3 * Page + 4000, 97));  // past the last page
        Assert.False(list.ContainsAddress(1 * Page + 4000, 200)); // across two pages: not inside one
        Assert.False(list.ContainsAddress(0, 1));
        Assert.False(list.ContainsAddress(4 * Page, 1));
    }

    private static bool Scan(ulong[] pages, ulong address, int length)
    {
        foreach (ulong p in pages)
        {
            if (address >= p && address + (ulong)length <= p + Page) return true;
        }
        return false;
    }
}
