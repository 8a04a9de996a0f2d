using System;
using System.Collections.Generic;

namespace Gvnic.Cli.Schema;

/// <summary>"Did you mean …?" for names typed by a person: the closest candidate by edit distance.</summary>
internal static class Suggest
{
    /// <summary>The candidate closest to <paramref name="typed"/>, or null when none is close enough to be a likely typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int d = Distance(typed, candidate);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.Max(2, typed.Length / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>" (did you mean X?)" or "".</summary>
    public static string Hint(string typed, IEnumerable<string> candidates)
    {
        var closest = Closest(typed, candidates);
        return closest is null ? "" : " (did you mean " + closest + "?)";
    }

    /// <summary>Levenshtein distance (case-insensitive).</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
