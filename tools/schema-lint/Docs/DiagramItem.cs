namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// What owns a bit of a diagram: a field, a bit range, a register, or reserved/unassigned space.
/// </summary>
/// <param name="Key">Identity: adjacent bits with one key merge into one box.</param>
/// <param name="Name">The label when a box shows the whole item.</param>
/// <param name="Reserved">Drawn shaded.</param>
/// <param name="Offset">The first byte of the item (for array element labels).</param>
/// <param name="ElementSize">Bytes per element for arrays, else 0.</param>
/// <param name="IsScalar">Whether cells carry value bit numbers, so a split box is labelled <c>name[hi:lo]</c>.</param>
public sealed record DiagramItem(string Key, string Name, bool Reserved, int Offset, int ElementSize, bool IsScalar);
