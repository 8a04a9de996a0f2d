namespace Gvnic.Schema
{
    /// <summary>A place in the schema file: 1-based line and column, and the 0-based character index.</summary>
    public readonly record struct SourceSpan(int Line, int Column, int Index, int Length)
    {
        /// <summary>"line,col", as compilers print it.</summary>
        public override string ToString() => Line + "," + Column;
    }
}
