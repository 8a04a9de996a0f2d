namespace Gvnic.Wire;

/// <summary>One register of a schema register block at run time (the generated <c>Registers</c> table of a block).</summary>
/// <param name="Name">The schema name.</param>
/// <param name="Offset">Byte offset in the BAR (of the first element, for a register array).</param>
/// <param name="Width">Bits: 8, 16, 32 or 64.</param>
/// <param name="Access">"read", "write" or "read_write": which way the driver may access it.</param>
/// <param name="Stride">For a register array, the bytes between elements; 0 for a single register.</param>
/// <param name="Order">"big" or "little" for registers wider than a byte, else null.</param>
/// <param name="TypeName">The schema enum, flag set or struct the register holds, or null for a plain integer.</param>
/// <param name="Doc">The schema's doc string.</param>
public sealed record WireRegister(string Name, int Offset, int Width, string Access, int Stride = 0, string? Order = null, string? TypeName = null, string Doc = "");
