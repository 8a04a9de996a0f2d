using System.Collections.Generic;
using System.Linq;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Sdk.Tests.Support;

internal delegate bool Validator(ICollection<WireIssue>? issues);

internal static class Valid
{
    /// <summary>Validate returns true and reports nothing, with and without an issue list.</summary>
    public static void Clean(Validator validate)
    {
        var issues = new List<WireIssue>();
        Assert.True(validate(issues), "Validate returned false: " + string.Join("; ", issues));
        Assert.Empty(issues);
        Assert.True(validate(null));
    }

    /// <summary>Validate returns false (with and without a list) and reports exactly <paramref name="expected"/>.</summary>
    public static void Issues(Validator validate, params WireIssue[] expected)
    {
        var issues = new List<WireIssue>();
        bool ok = validate(issues);
        Assert.False(ok, "Validate returned true for an image with problems");
        Assert.False(validate(null));
        Assert.Equal(
            expected.Select(i => i.ToString()).OrderBy(s => s),
            issues.Select(i => i.ToString()).OrderBy(s => s));
    }
}

internal static class ValidNames
{
    /// <summary>
    /// Validate returns false and reports exactly these (struct, field, kind) triples; the values are checked
    /// by the dedicated value tests (ValidateTests.*Value*).
    /// </summary>
    public static void Issues(Validator validate, params WireIssue[] expected)
    {
        var issues = new List<WireIssue>();
        Assert.False(validate(issues), "Validate returned true for an image with problems");
        Assert.False(validate(null));
        Assert.Equal(
            expected.Select(i => i.Type + "." + i.Field + ": " + i.Kind).OrderBy(s => s),
            issues.Select(i => i.Type + "." + i.Field + ": " + i.Kind).OrderBy(s => s));
    }
}
