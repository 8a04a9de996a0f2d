using System;
using CsCheck;
using Gvnic.Sdk.Tests.Support;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>Random byte images of every struct: Read then Write (and the in-place views) give back the same bytes.</summary>
public class RoundTripPropertyTests
{
    [Theory]
    [MemberData(nameof(WireCatalog.Cases), MemberType = typeof(WireCatalog))]
    public void RandomImage_ReadThenWrite_ReproducesTheBytes(WireCase c)
    {
        int iter = c.GeneratedSize > 512 ? 20 : 60;
        Gen.Byte.Array[c.GeneratedSize].Sample(image =>
        {
            Hex.Equal(Hex.Of(image), c.ReadThenWrite(image), c.SchemaName + " Read then Write");
            Hex.Equal(Hex.Of(image), c.AsRefThenWrite(image), c.SchemaName + " AsRef then Write");
            Hex.Equal(Hex.Of(image), c.AsReadOnlyThenWrite(image), c.SchemaName + " AsReadOnly then Write");
            // Validate answers the same with and without an issue list, and lists issues exactly when false.
            var issues = new System.Collections.Generic.List<WireIssue>();
            bool ok = c.Validate(image, issues);
            Assert.Equal(ok, c.Validate(image, null));
            Assert.Equal(ok, issues.Count == 0);
            Assert.All(issues, i => Assert.False(string.IsNullOrEmpty(i.Field)));
        }, iter: iter, threads: 1);
    }

    [Fact]
    public void RandomImage_LargerSpan_UsesTheFirstSizeBytes()
    {
        Gen.Byte.Array[RxComplDescDqo.Size + 16].Sample(buffer =>
        {
            var v = RxComplDescDqo.Read(buffer);
            var output = new byte[RxComplDescDqo.Size];
            v.Write(output);
            Assert.Equal(buffer.AsSpan(0, RxComplDescDqo.Size).ToArray(), output);
            ref var view = ref RxComplDescDqo.AsRef(buffer);
            view.Ts = 0x01020304;
            Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01 }, buffer.AsSpan(28, 4).ToArray());
        }, iter: 50, threads: 1);
    }

    [Fact]
    public void AsRef_IsAViewOfTheBuffer_NotACopy()
    {
        var buffer = new byte[2 * TxComplDesc.Size];
        ref var second = ref TxComplDesc.AsRef(buffer.AsSpan(TxComplDesc.Size));
        second.CompletionTag = 0xA1B2;
        Hex.Equal("0000000000000000" + "0000B2A100000000", buffer);
        buffer[8] = 0x05; // id 5 written by "the device"
        Assert.Equal((ushort)5, second.Id);
        Assert.Equal((ushort)5, TxComplDesc.AsReadOnly(buffer.AsSpan(8)).Id);
    }
}
