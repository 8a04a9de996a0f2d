using System;
using Gvnic.Admin;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>REPORT_NIC_TIMESTAMP's builder against upstream's layout (gve_adminq.h: opcode 0x11, then nic_ts_report_len and nic_ts_report_addr, big-endian).</summary>
public class ReportNicTimestampCommandTests
{
    [Fact]
    public void TheCommandCarriesOpcode0x11TheReportLengthAndItsAddress()
    {
        var b = new byte[AdminqCommand.Size];
        b.AsSpan().Fill(0xAA);
        AdminCommands.ReportNicTimestamp(ref AdminqCommand.AsRef(b), 0x0000_0003_0000_4000);
        Assert.Equal("00000011" + "00000000" + "0000000000000028" + "0000000300004000", Convert.ToHexString(b, 0, 24));
        Assert.Equal(new byte[40], b[24..]);
        Assert.Equal(40, NicTsReport.Size);
    }
}
