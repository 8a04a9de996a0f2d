namespace Gvnic.Schema
{
    /// <summary>
    /// A value an option requires in a field of its header (and an encoder writes there): a number, or an enum value
    /// written <c>enum.value</c> (<see cref="Number"/> is then null).
    /// </summary>
    public sealed record HeaderValueDef(string Field, string Value, ulong? Number, SourceSpan At);
}
