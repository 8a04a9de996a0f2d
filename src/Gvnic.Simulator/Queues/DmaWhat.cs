using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gvnic.Simulator.Queues;

/// <summary>
/// What a DMA access is for ("RX queue 3 buffer at slot 17"), as a violation names it: built from an interpolated string
/// (<c>$"RX queue {Id} buffer at slot {slot}"</c>) whose pieces are kept, not joined, so that describing an access costs
/// no allocation; the text is made only when a violation is recorded (<see cref="ToString"/>). A plain string converts.
/// </summary>
[InterpolatedStringHandler]
internal struct DmaWhat
{
    private const int Capacity = 5;

    [InlineArray(Capacity)]
    private struct Texts
    {
        private string? _first;
    }

    [InlineArray(Capacity)]
    private struct Numbers
    {
        private long _first;
    }

    private Texts _texts;
    private Numbers _numbers;
    private int _count;
    private int _isNumber; // bit i: piece i is _numbers[i]
    private string? _overflow; // pieces beyond Capacity, joined (rare: no call site has that many)
    private int _page;
    private uint _pageList;

    /// <summary>Called by the compiler for an interpolated string.</summary>
    public DmaWhat(int literalLength, int formattedCount)
    {
        _ = literalLength;
        _ = formattedCount;
        _page = -1;
    }

    /// <summary>A description that is one piece of text.</summary>
    public static implicit operator DmaWhat(string text)
    {
        var what = new DmaWhat(text.Length, 0);
        what.AppendLiteral(text);
        return what;
    }

    /// <summary>Called by the compiler for the literal parts.</summary>
    public void AppendLiteral(string text)
    {
        if (_count < Capacity) _texts[_count++] = text;
        else _overflow += text;
    }

    /// <summary>Called by the compiler for a text hole.</summary>
    public void AppendFormatted(string? text) => AppendLiteral(text ?? "");

    /// <summary>Called by the compiler for a number hole.</summary>
    public void AppendFormatted(long value)
    {
        if (_count < Capacity)
        {
            _numbers[_count] = value;
            _isNumber |= 1 << _count;
            _count++;
        }
        else
        {
            _overflow += value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Called by the compiler for a number hole.</summary>
    public void AppendFormatted(int value) => AppendFormatted((long)value);

    /// <summary>Called by the compiler for a number hole.</summary>
    public void AppendFormatted(uint value) => AppendFormatted((long)value);

    /// <summary>Called by the compiler for a number hole.</summary>
    public void AppendFormatted(ushort value) => AppendFormatted((long)value);

    /// <summary>The same access, into page <paramref name="page"/> of page list <paramref name="list"/> (" (page 2 of page list 7)" appended).</summary>
    public readonly DmaWhat OnPage(int page, uint list)
    {
        DmaWhat what = this;
        what._page = page;
        what._pageList = list;
        return what;
    }

    /// <summary>The description's text.</summary>
    public override readonly string ToString()
    {
        var text = new StringBuilder();
        for (int i = 0; i < _count; i++)
        {
            if ((_isNumber & (1 << i)) != 0) text.Append(_numbers[i]);
            else text.Append(_texts[i]);
        }
        text.Append(_overflow);
        if (_page >= 0) text.Append(" (page ").Append(_page).Append(" of page list ").Append(_pageList).Append(')');
        return text.ToString();
    }
}
