namespace Gvnic.Platform.Tracing;

/// <summary>
/// The names of the PCI trace format (docs/trace.md): one JSON object a line, a header first, then one event a line.
/// Members whose names start with <see cref="RunSpecificPrefix"/> hold this run's own values (DMA addresses, device-assigned
/// indexes, OS strings, poll counts): a reader shows them, a comparison ignores them, as it ignores <see cref="Sequence"/> and
/// <see cref="Time"/>.
/// </summary>
public static class TraceFormat
{
    /// <summary>The header's <c>format</c> value.</summary>
    public const string Name = "gvnic-pci-trace";

    /// <summary>The format version this code writes and reads (the header's <c>version</c>).</summary>
    public const int Version = 1;

    /// <summary>Prefix of members that hold this run's own values; a comparison ignores them.</summary>
    public const char RunSpecificPrefix = '@';

    /// <summary>Prefix of a DMA address written relative to the trace's regions: <c>dma#3+0x40</c> is byte 0x40 of region 3.</summary>
    public const string DmaPrefix = "dma#";

    /// <summary>The event number (1, 2, …; the header is line 1).</summary>
    public const string Sequence = "seq";

    /// <summary>Microseconds since the trace started.</summary>
    public const string Time = "t";

    /// <summary>The event kind.</summary>
    public const string Kind = "ev";

    /// <summary>The header's (and the command line's) spelling of a data mode: <c>off</c>, <c>doorbells</c>, <c>all</c>.</summary>
    public static string DataModeName(TraceDataMode mode) => mode switch
    {
        TraceDataMode.Off => "off",
        TraceDataMode.All => "all",
        _ => "doorbells",
    };

    /// <summary>The data mode spelled <paramref name="name"/> (<c>off</c>, <c>doorbells</c>, <c>all</c>; case-insensitive).</summary>
    public static bool TryParseDataMode(string name, out TraceDataMode mode)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "off": mode = TraceDataMode.Off; return true;
            case "doorbells": mode = TraceDataMode.Doorbells; return true;
            case "all": mode = TraceDataMode.All; return true;
            default: mode = TraceDataMode.Doorbells; return false;
        }
    }

    /// <summary>Event kinds (<see cref="Kind"/>).</summary>
    public static class Events
    {
        /// <summary>Bus mastering turned on or off (<c>enable</c>).</summary>
        public const string BusMaster = "bus_master";

        /// <summary>A BAR load (<c>bar</c>, <c>reg</c>, <c>width</c>, <c>value</c>).</summary>
        public const string Read = "read";

        /// <summary>A BAR store (<c>bar</c>, <c>reg</c>, <c>width</c>, <c>value</c>; BAR2: <c>queue</c> or <c>block</c>).</summary>
        public const string Write = "write";

        /// <summary>A wait the driver gave up (a timeout or a reset): what it waited for and the last values it read.</summary>
        public const string Wait = "wait";

        /// <summary>An admin command as the driver posted it, decoded.</summary>
        public const string Command = "command";

        /// <summary>The device's answer to an admin command: its status and what it wrote into DMA memory.</summary>
        public const string Answer = "answer";

        /// <summary>A DMA region allocated (<c>region</c>, <c>length</c>, <c>align</c>).</summary>
        public const string DmaAlloc = "dma_alloc";

        /// <summary>A DMA region freed.</summary>
        public const string DmaFree = "dma_free";

        /// <summary>MSI-X vectors enabled (<c>vectors</c>).</summary>
        public const string IrqEnable = "irq_enable";

        /// <summary>MSI-X disabled.</summary>
        public const string IrqDisable = "irq_disable";

        /// <summary>A wait on an MSI-X vector (<see cref="TraceDataMode.All"/> only; never compared: its outcome is timing).</summary>
        public const string IrqWait = "irq_wait";

        /// <summary>A poll of an MSI-X vector (<see cref="TraceDataMode.All"/> only; never compared).</summary>
        public const string IrqPoll = "irq_poll";

        /// <summary>The last line: how many events were written and what the data mode left out.</summary>
        public const string End = "end";
    }
}
