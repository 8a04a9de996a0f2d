using System;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Pci;
using Gvnic.VfioUser.Protocol;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Server;

/// <summary>
/// The meaning of each client request: checks every field of it (sizes, indexes, ranges, flags, descriptors) and
/// either does it and writes the reply body, or refuses it with an errno and a reason
/// (<see cref="RequestRefusedException"/>). One handler per connection: it holds what VERSION negotiated.
/// Split by concern: this file has the dispatch, VERSION and device info; the others DMA, regions and interrupts.
/// </summary>
internal sealed partial class RequestHandler
{
    /// <summary>VFIO_PCI_NUM_REGIONS: BARs 0-5, ROM, config, VGA.</summary>
    public const int RegionCount = 9;

    /// <summary>VFIO_PCI_NUM_IRQS: INTx, MSI, MSI-X, ERR, REQ.</summary>
    public const int IrqCount = 5;

    private readonly VfioUserServer _server;
    private Capabilities? _client;

    public RequestHandler(VfioUserServer server) => _server = server;

    /// <summary>What the client said about itself in VERSION (null before it).</summary>
    public Capabilities? Client => _client;

    /// <summary>Whether VERSION has been agreed.</summary>
    public bool Negotiated => _client is not null;

    /// <summary>
    /// Handles a request; returns the length of the reply body written to <paramref name="reply"/> (the reply
    /// buffer holds MaxDataTransferSize + 64 bytes).
    /// </summary>
    /// <exception cref="RequestRefusedException">The request is refused.</exception>
    public int Handle(InboundMessage message, Span<byte> reply)
    {
        if (message.Problem == FramingProblem.TooLarge)
            throw new RequestRefusedException(Errno.E2BIG, $"the message is larger than this server takes ({_server.Options.MaxDataTransferSize} data bytes)");
        if (message.Problem == FramingProblem.TooManyFds)
            throw new RequestRefusedException(Errno.EINVAL, $"the message came with more than {_server.Options.MaxMessageFds} file descriptors");
        if (message.Header.Type != (byte)MessageType.Request)
            throw new RequestRefusedException(Errno.EINVAL, $"message type {message.Header.Type} is neither a request (0) nor a reply (1)");
        if (message.Command != Command.Version && !Negotiated)
            throw new RequestRefusedException(Errno.EINVAL, "VERSION must be the first message");
        if (message.FdCount > _server.Options.MaxMessageFds)
            throw new RequestRefusedException(Errno.EINVAL, $"{message.FdCount} file descriptors, more than the {_server.Options.MaxMessageFds} this server takes in one message");
        if (message.FdCount > 0 && message.Command is not (Command.DmaMap or Command.DeviceSetIrqs))
            throw new RequestRefusedException(Errno.EINVAL, $"{message.FdCount} file descriptors came with a command that takes none");

        return message.Command switch
        {
            Command.Version => Version(message.Body, reply),
            Command.DmaMap => DmaMap(message),
            Command.DmaUnmap => DmaUnmap(message.Body, reply),
            Command.DeviceGetInfo => DeviceInfo(message.Body, reply),
            Command.DeviceGetRegionInfo => RegionInfo(message.Body, reply),
            Command.DeviceGetIrqInfo => IrqInfo(message.Body, reply),
            Command.DeviceSetIrqs => SetIrqs(message),
            Command.RegionRead => RegionRead(message.Body, reply),
            Command.RegionWrite => RegionWrite(message.Body, reply),
            Command.RegionWriteMulti => RegionWriteMulti(message.Body, reply),
            Command.DeviceReset => DeviceReset(message.Body),
            Command.DeviceGetRegionIoFds or Command.DirtyPages or Command.DeviceFeature or Command.MigDataRead or Command.MigDataWrite =>
                throw new RequestRefusedException(Errno.ENOTSUP, "this server does not implement this command (no I/O fds, no dirty tracking, no features, no migration)"),
            Command.DmaRead or Command.DmaWrite =>
                throw new RequestRefusedException(Errno.EINVAL, "DMA_READ and DMA_WRITE go from server to client"),
            _ => throw new RequestRefusedException(Errno.ENOSYS, $"unknown command {message.Header.Command}"),
        };
    }

    private int Version(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (Negotiated) throw new RequestRefusedException(Errno.EINVAL, "VERSION was already agreed on this connection");
        if (body.Length < Wire.Version.Size) throw Short(body, Wire.Version.Size, "VERSION");
        Wire.Version version = Wire.Version.Read(body);
        if (version.Major != VfioUserConstants.MajorVersion)
            throw new RequestRefusedException(Errno.ENOTSUP, $"protocol major version {version.Major}; this server speaks {VfioUserConstants.MajorVersion}.{VfioUserConstants.MinorVersion}");
        Capabilities? client = Capabilities.Parse(body[Wire.Version.Size..], out string problem)
            ?? throw new RequestRefusedException(Errno.EINVAL, problem);

        VfioUserServerOptions options = _server.Options;
        var answer = new Capabilities
        {
            MaxMessageFds = (uint)options.MaxMessageFds,
            MaxDataTransferSize = options.MaxDataTransferSize,
            // Only what the client proposed, as the protocol asks; migration is never taken.
            PageSizes = client.PageSizes is ulong sizes ? (sizes & 0x1000) != 0 ? 0x1000UL : throw new RequestRefusedException(Errno.EINVAL, $"pgsizes 0x{sizes:X} lacks 4 KiB, the only page size this server maps") : null,
            MaxDmaMaps = client.MaxDmaMaps is uint maps ? Math.Min(maps, (uint)options.MaxDmaMappings) : null,
            WriteMultiple = client.WriteMultiple is true ? true : null,
        };
        byte[] json = answer.ToVersionData();
        if (Wire.Version.Size + json.Length > reply.Length) throw new RequestRefusedException(Errno.ENOMEM, "the capabilities do not fit the reply buffer");
        var agreed = new Wire.Version { Major = VfioUserConstants.MajorVersion, Minor = Math.Min(version.Minor, VfioUserConstants.MinorVersion) };
        agreed.Write(reply);
        json.CopyTo(reply[Wire.Version.Size..]);
        _client = client;
        return Wire.Version.Size + json.Length;
    }

    private int DeviceInfo(ReadOnlySpan<byte> body, Span<byte> reply)
    {
        if (body.Length < Wire.DeviceInfo.Size) throw Short(body, Wire.DeviceInfo.Size, "DEVICE_GET_INFO");
        Wire.DeviceInfo request = Wire.DeviceInfo.Read(body);
        if (request.Argsz < Wire.DeviceInfo.Size)
            throw new RequestRefusedException(Errno.EINVAL, $"argsz {request.Argsz} is less than the {Wire.DeviceInfo.Size}-byte reply");
        var info = new Wire.DeviceInfo
        {
            Argsz = Wire.DeviceInfo.Size,
            Reset = true,
            Pci = true,
            NumRegions = RegionCount,
            NumIrqs = IrqCount,
        };
        info.Write(reply);
        return Wire.DeviceInfo.Size;
    }

    private int DeviceReset(ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty) throw new RequestRefusedException(Errno.EINVAL, $"DEVICE_RESET has no payload, this one has {body.Length} bytes");
        _server.ResetFunction();
        return 0;
    }

    private static RequestRefusedException Short(ReadOnlySpan<byte> body, int needed, string what) =>
        new(Errno.EINVAL, $"{what} payload of {body.Length} bytes, shorter than its {needed}-byte fixed part");
}
