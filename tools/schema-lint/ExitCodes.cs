namespace Gvnic.SchemaLint;

/// <summary>The exit codes of every schema-lint command (docs/schema-lint.md).</summary>
public static class ExitCodes
{
    /// <summary>Success: the schema is clean, the docs are current, the diff has no breaking change.</summary>
    public const int Success = 0;

    /// <summary>The command found what it looks for: schema errors, stale docs, a breaking change.</summary>
    public const int Findings = 1;

    /// <summary>Bad input: unknown option, missing file, unreadable git revision, a schema that does not load.</summary>
    public const int BadInput = 2;
}
