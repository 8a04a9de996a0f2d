namespace Gvnic.Generators.Emit
{
    /// <summary>One generated file: its hint name and its text.</summary>
    internal sealed record GeneratedSource(string HintName, string Text);
}
