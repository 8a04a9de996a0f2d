namespace Gvnic.Schema
{
    /// <summary>A whole schema file.</summary>
    public sealed record SchemaDocument(
        string Name,
        string Namespace,
        string Doc,
        EquatableArray<ConstantDef> Constants,
        EquatableArray<EnumDef> Enums,
        EquatableArray<StructDef> Structs,
        EquatableArray<RegisterBlockDef> RegisterBlocks,
        EquatableArray<OptionListDef> OptionLists);
}
