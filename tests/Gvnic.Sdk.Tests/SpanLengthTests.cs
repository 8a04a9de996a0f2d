using System;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>Read, AsRef, AsReadOnly and Write on a span shorter than the struct throw ArgumentException naming the type and sizes.</summary>
public class SpanLengthTests
{
    [Theory]
    [MemberData(nameof(WireCatalog.Cases), MemberType = typeof(WireCatalog))]
    public void TooShort_Throws(WireCase c)
    {
        int size = c.GeneratedSize;
        var shortBuffer = new byte[size - 1];
        string expected = c.SchemaName + " needs " + size + " bytes but the span has " + (size - 1);

        var read = Assert.Throws<ArgumentException>(() => c.Read(shortBuffer));
        Assert.StartsWith(expected, read.Message);
        Assert.Equal("source", read.ParamName);

        var asRef = Assert.Throws<ArgumentException>(() => c.AsRef(shortBuffer));
        Assert.StartsWith(expected, asRef.Message);
        Assert.Equal("bytes", asRef.ParamName);

        var asReadOnly = Assert.Throws<ArgumentException>(() => c.AsReadOnly(shortBuffer));
        Assert.StartsWith(expected, asReadOnly.Message);

        var write = Assert.Throws<ArgumentException>(() => c.Write(shortBuffer));
        Assert.StartsWith(expected, write.Message);
        Assert.Equal("destination", write.ParamName);
        Assert.Equal(new byte[size - 1], shortBuffer); // nothing written

        var empty = Assert.Throws<ArgumentException>(() => c.Read(Array.Empty<byte>()));
        Assert.StartsWith(c.SchemaName + " needs " + size + " bytes but the span has 0", empty.Message);
    }

    [Fact]
    public void TooShort_DirectCalls()
    {
        var e = Assert.Throws<ArgumentException>(() => AdminqCommand.Read(new byte[63]));
        Assert.Contains("adminq_command needs 64 bytes but the span has 63", e.Message);
        e = Assert.Throws<ArgumentException>(() => { TxDescDqo.AsRef(new byte[15]); });
        Assert.Contains("tx_desc_dqo needs 16 bytes but the span has 15", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RxDesc().Write(new byte[32]));
        Assert.Contains("rx_desc needs 64 bytes but the span has 32", e.Message);
    }
}
