namespace Gvnic.SchemaLint.Tests;

/// <summary>Small schemas shared by the tests.</summary>
public static class Schemas
{
    /// <summary>
    /// A clean schema: an opcode enum, a big-endian descriptor with a bitfield byte, a u16, a tag and a
    /// reserved tail, a little-endian struct and a register block.
    /// </summary>
    public const string Base = """
schema: t
namespace: T.Wire
doc: Test schema.
constants:
  - { name: ring_size, type: u16, value: 256, doc: Ring size. }
enums:
  - name: ops_opcodes
    type: u8
    doc: Opcodes.
    values:
      - { name: read, value: 1, doc: Read. }
      - { name: write, value: 2, doc: Write. }
structs:
  - name: desc
    size: 8
    order: big
    doc: A descriptor.
    fields:
      - { name: op, at: 0, type: ops_opcodes, doc: Opcode. }
      - name: flags
        at: 1
        type: u8
        doc: Flags.
        bits:
          - { name: valid, at: 0, width: 1, type: bool, doc: Valid. }
          - { name: kind, at: 1, width: 3, doc: Kind. }
      - { name: len, at: 2, type: u16, doc: Length. }
      - { name: tag, at: 4, type: u16, doc: Tag. }
      - { name: reserved, at: 6, type: u16, reserved: zero, doc: Reserved. }
  - name: extra
    size: 4
    order: little
    doc: A little-endian word.
    fields:
      - { name: value, at: 0, type: u32, doc: Value. }
register_blocks:
  - name: bar0
    bar: 0
    order: big
    doc: Registers.
    registers:
      - { name: status, offset: 0x0, width: 32, access: read, doc: Status. }
      - { name: doorbell, offset: 0x4, width: 32, access: write, doc: Doorbell. }
""";

    /// <summary><see cref="Base"/> with an option list: <c>desc</c> headers naming options by <c>op</c>, <c>len</c> payload bytes.</summary>
    public const string WithOptionList = Base + "\n" + """
option_lists:
  - name: ops
    header: desc
    id: op
    length: len
    doc: Operations.
    options:
      - { id: read, payload: extra, requires: { tag: 7 }, doc: Read. }
""";

    /// <summary><see cref="Base"/> with one exact piece of text replaced (which must be present).</summary>
    public static string With(string oldText, string newText)
    {
        Xunit.Assert.Contains(oldText, Base);
        return Base.Replace(oldText, newText);
    }
}
