using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests;

/// <summary>
/// The generated run-time description (GvnicCatalog, Fields, TryGetField/TrySetField) agrees with the
/// typed API for every struct of the schema.
/// </summary>
public class ReflectionTests
{
    public static TheoryData<string> TypeNames() => new(GvnicCatalog.Types.Select(t => t.Name));

    private static bool IsValue(WireField f)
        => f.Kind is WireFieldKind.Integer or WireFieldKind.Enum or WireFieldKind.Flags or WireFieldKind.Bool && f.Count == 1;

    private static int Bits(WireField f) => f.BitWidth > 0 ? f.BitWidth : f.Size * 8;

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void EveryValueFieldRoundTripsByPathAndTouchesOnlyItsBits(string typeName)
    {
        var type = GvnicCatalog.FindType(typeName)!;
        Assert.Equal(type.Size, System.Runtime.InteropServices.Marshal.SizeOf(type.ClrType));
        foreach (var field in type.Fields.Where(IsValue))
        {
            var bytes = new byte[type.Size];
            ulong max = Bits(field) >= 64 ? ulong.MaxValue : (1UL << Bits(field)) - 1;
            Assert.Equal(WireSetResult.Ok, type.Set(bytes, field.Name, max));
            Assert.True(type.Get(bytes, field.Name, out var back), field.Name);
            Assert.Equal(max, back);

            // Exactly the field's bits are set: count them, in whatever byte order.
            int setBits = bytes.Sum(b => System.Numerics.BitOperations.PopCount(b));
            Assert.True(setBits == Bits(field), typeName + "." + field.Name + ": " + setBits + " bits set, expected " + Bits(field));
            int first = field.Offset, last = field.Offset + field.Size - 1;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (i < first || i > last) Assert.True(bytes[i] == 0, typeName + "." + field.Name + " changed byte " + i);
            }
            if (max != ulong.MaxValue)
            {
                Assert.Equal(WireSetResult.OutOfRange, type.Set(bytes, field.Name, max + 1));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void UnknownPathsAreReportedNotGuessed(string typeName)
    {
        var type = GvnicCatalog.FindType(typeName)!;
        var bytes = new byte[type.Size];
        Assert.Equal(WireSetResult.UnknownField, type.Set(bytes, "no_such_field", 1));
        Assert.False(type.Get(bytes, "no_such_field", out var value));
        Assert.Equal(0UL, value);
        Assert.True(type.Validate(bytes, null) || type.Fields.Any(f => f.Kind is WireFieldKind.Enum or WireFieldKind.Union or WireFieldKind.Struct), typeName + " all-zero bytes fail validation without an enum to blame");
        Assert.StartsWith(type.ClrType.Name + " { ", type.Format(bytes));
    }

    [Fact]
    public void PathsReachArrayElementsNestedStructsAndUnionMembers()
    {
        var cmd = GvnicCatalog.FindType("adminq_command")!;
        var bytes = new byte[cmd.Size];
        Assert.Equal(WireSetResult.Ok, cmd.Set(bytes, "opcode", (ulong)AdminqOpcodes.CreateTxQueue));
        Assert.Equal(WireSetResult.Ok, cmd.Set(bytes, "create_tx_queue.queue_id", 0x01020304));
        Assert.Equal(new byte[] { 0, 0, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4 }, bytes.Take(12).ToArray());
        Assert.Equal(WireSetResult.NotAValue, cmd.Set(bytes, "create_tx_queue", 1));
        Assert.Equal(WireSetResult.NotAValue, cmd.Set(bytes, "body", 1));
        var decoded = AdminqCommand.Read(bytes);
        Assert.True(decoded.IsCreateTxQueue);
        Assert.Equal(0x01020304u, decoded.CreateTxQueue.QueueId);

        var descriptor = GvnicCatalog.FindType("device_descriptor")!;
        var d = new byte[descriptor.Size];
        Assert.Equal(WireSetResult.Ok, descriptor.Set(d, "mac[5]", 0xAB));
        Assert.Equal(0xAB, d[24 + 5]);
        Assert.Equal(WireSetResult.UnknownField, descriptor.Set(d, "mac[6]", 1));
        Assert.Equal(WireSetResult.OutOfRange, descriptor.Set(d, "mac[0]", 0x100));
        Assert.True(descriptor.Get(d, "mac[5]", out var mac5));
        Assert.Equal(0xABUL, mac5);

        var map = GvnicCatalog.FindType("ptype_map")!;
        var m = new byte[map.Size];
        Assert.Equal(WireSetResult.Ok, map.Set(m, "ptypes[7].l4_type", (ulong)L4Type.Udp));
        Assert.Equal((byte)L4Type.Udp, m[7 * 2 + 1]);
    }

    [Fact]
    public void CatalogListsEveryEnumWithItsValues()
    {
        var opcodes = GvnicCatalog.FindEnum("adminq_opcodes")!;
        Assert.Equal(typeof(AdminqOpcodes), opcodes.ClrType);
        Assert.Contains(opcodes.Values, v => v.Name == "create_rx_queue" && v.Value == 0x6);
        foreach (var e in GvnicCatalog.Enums)
        {
            foreach (var v in e.Values)
            {
                Assert.Equal(v.Value, Convert.ToUInt64(Enum.ToObject(e.ClrType, v.Value)));
            }
        }
        var flags = GvnicCatalog.FindEnum("device_status_flags")!;
        Assert.True(flags.IsFlags);
        Assert.Null(GvnicCatalog.FindEnum("nope"));
        Assert.Null(GvnicCatalog.FindType("nope"));
    }
}
