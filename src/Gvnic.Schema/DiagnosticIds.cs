namespace Gvnic.Schema
{
    /// <summary>
    /// Every schema diagnostic. docs/diagnostics.md explains each with an example; the ids never change
    /// meaning once published.
    /// </summary>
    public static class DiagnosticIds
    {
        /// <summary>The file is not valid YAML.</summary>
        public const string YamlSyntax = "GVNIC001";

        /// <summary>A type name that is neither a scalar, an enum nor a struct of the schema.</summary>
        public const string UnknownType = "GVNIC002";

        /// <summary>Two items share a name in one scope.</summary>
        public const string DuplicateName = "GVNIC003";

        /// <summary>A field ends beyond its struct's declared size.</summary>
        public const string FieldBeyondStruct = "GVNIC004";

        /// <summary>Two fields (or bit ranges, or registers) share bytes outside a union.</summary>
        public const string Overlap = "GVNIC005";

        /// <summary>A bit range does not fit inside its container field.</summary>
        public const string BitfieldBeyondContainer = "GVNIC006";

        /// <summary>A value does not fit its integer type (enum value, constant, enum stored in bits).</summary>
        public const string ValueTooLarge = "GVNIC007";

        /// <summary>A struct or register block has no byte order.</summary>
        public const string MissingByteOrder = "GVNIC008";

        /// <summary>The declared struct size differs from the laid-out size.</summary>
        public const string SizeMismatch = "GVNIC009";

        /// <summary>Bytes of a struct that no field covers.</summary>
        public const string UnmarkedGap = "GVNIC010";

        /// <summary>A union member is larger than the union.</summary>
        public const string UnionMemberTooLarge = "GVNIC011";

        /// <summary>A required key is missing or a value has the wrong form.</summary>
        public const string InvalidValue = "GVNIC012";

        /// <summary>A key the schema language does not define (warning).</summary>
        public const string UnknownKey = "GVNIC013";

        /// <summary>A union selector or a member's <c>when</c> does not resolve.</summary>
        public const string BadSelector = "GVNIC014";

        /// <summary>An item has no <c>doc:</c> string (warning).</summary>
        public const string MissingDoc = "GVNIC015";

        /// <summary>A struct contains itself.</summary>
        public const string RecursiveStruct = "GVNIC016";

        /// <summary>A register's type does not have the register's width.</summary>
        public const string RegisterTypeWidth = "GVNIC017";

        /// <summary>An option list names a header field, option id or required value that does not resolve.</summary>
        public const string BadOptionList = "GVNIC018";

        /// <summary>A trailing array's <c>counted_by:</c> names no integer field of its struct.</summary>
        public const string BadCount = "GVNIC019";

        /// <summary>A trailing array is not where one can be (after the fixed part, alone, as a whole message).</summary>
        public const string BadTrailingArray = "GVNIC020";

        /// <summary>A struct's <c>max_size:</c> does not resolve or cannot hold the struct.</summary>
        public const string BadMaxSize = "GVNIC021";

        /// <summary>The generator failed unexpectedly; the message says where (never expected, always reported).</summary>
        public const string InternalError = "GVNIC099";
    }
}
