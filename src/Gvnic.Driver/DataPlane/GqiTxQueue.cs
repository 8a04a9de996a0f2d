using System;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Rings;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// A GQI transmit queue. Frames are copied into a byte FIFO: the queue's page list (QPL, descriptors carry
/// FIFO byte offsets) or a driver-owned DMA buffer (RDA, descriptors carry device addresses). As upstream
/// does, the packet descriptor carries the first bytes (up to 182) without wrapping, and the rest follows in
/// one segment descriptor, or two when it wraps the end of the FIFO. The doorbell is the free-running
/// descriptor count; the device reports the count it has consumed in the queue's event counter.
/// </summary>
/// <remarks>
/// Every stretch of the FIFO a frame takes is a reservation, in FIFO order: a copied frame's (posted at once), or a
/// lent buffer's (<see cref="TxBuffer"/>: <see cref="LendCapacity"/> bytes, never wrapping, taken when lent and posted or
/// given back later, in any order). A reservation ends when its frame completes or its unsent buffer comes back; its
/// bytes are free once every older reservation has ended too, so a lent buffer is never overwritten, and a buffer kept
/// long holds back the space after it. At most <c>2 × ring</c> reservations live at once.
/// </remarks>
internal sealed unsafe partial class GqiTxQueue : TxQueue
{
    private const int FifoAlignment = 64;

    private readonly Bar2Registers _bar2;
    private readonly DmaRegion _ring;
    private readonly DmaRegion _resources;
    private readonly QueuePageList? _qpl;
    private readonly byte* _fifo;
    private readonly int _fifoSize;
    private readonly ulong _fifoAddress;
    private readonly int _size;
    private readonly uint _mask;
    private readonly int _maxFrame;
    private readonly int[] _slotReservation; // per descriptor slot: its frame's reservation + 1 on the packet descriptor, else 0
    private readonly int _lendBytes;
    private readonly int[] _reservationBytes;
    private readonly int[] _reservationAt;
    private readonly bool[] _reservationEnded;
    private readonly uint _reservationMask;
    private uint _oldestReservation;
    private uint _nextReservation;
    private readonly int[] _frameBytes; // per descriptor slot: the length of the frame whose packet descriptor it holds
    private DeviceResources? _deviceResources;
    private int _doorbell;
    private int _counter;
    private int _fifoHead;
    private int _fifoFree;
    private uint _posted;
    private uint _rung;
    private uint _done;
    private long _packets, _bytes, _completed, _descriptors, _full, _doorbells, _bytesCompleted, _wakes;
    private bool _refused;
    private int _inFlight;

    /// <summary>Creates a queue over <paramref name="qpl"/> (QPL) or, when null, over <paramref name="rdaBytes"/> of driver-owned DMA memory (RDA).</summary>
    public GqiTxQueue(int id, int block, DmaMemory memory, Bar2Registers bar2, int ringSize, QueuePageList? qpl, int rdaBytes, int maxFrame) : base(id, block)
    {
        _bar2 = bar2;
        _size = ringSize;
        _mask = Ring.MaskFor(ringSize, nameof(ringSize));
        _maxFrame = maxFrame;
        _ring = memory.Allocate(ringSize * TxPktDesc.Size);
        _resources = memory.Allocate(QueueResources.Size);
        _qpl = qpl;
        rdaBytes = (rdaBytes + (int)GvnicConstants.PageSize - 1) & ~((int)GvnicConstants.PageSize - 1); // whole pages: a multiple of the FIFO alignment
        DmaRegion fifo = qpl?.Pages ?? memory.Allocate(rdaBytes);
        _fifo = fifo.Pointer;
        _fifoSize = qpl?.Bytes ?? rdaBytes;
        _fifoAddress = qpl is null ? fifo.DeviceAddress : 0;
        _fifoFree = _fifoSize;
        _slotReservation = new int[ringSize];
        _lendBytes = (maxFrame + FifoAlignment - 1) & ~(FifoAlignment - 1);
        int reservations = 2 * ringSize;
        _reservationMask = (uint)reservations - 1;
        _reservationBytes = new int[reservations];
        _reservationAt = new int[reservations];
        _reservationEnded = new bool[reservations];
        InitLending(reservations);
        _frameBytes = new int[ringSize];
        if (_fifoSize < maxFrame + 2 * FifoAlignment + GvnicConstants.GqTxMinPktDescBytes)
            throw new NicConfigurationException(Name + ": " + _fifoSize + " bytes of buffer space cannot hold a " + maxFrame + "-byte frame", qpl is null ? nameof(NicOptions.RdaTxBufferBytes) : nameof(NicOptions.Mtu));
    }

    public override TxQueueDefinition Definition
        => new((uint)Id, (uint)Block, _resources.DeviceAddress, _ring.DeviceAddress, (ushort)_size, _qpl?.Id ?? GvnicConstants.RawAddressingQplId);

    public override void Bind(DeviceResources resources)
    {
        ref readonly QueueResources r = ref QueueResources.AsReadOnly(_resources.Span);
        _doorbell = resources.ClaimDoorbell(Name, "db_index", r.DbIndex);
        _counter = resources.ClaimCounter(Name, r.CounterIndex);
        _deviceResources = resources;
        _done = resources.ReadCounter(_counter);
        _posted = _rung = _done;
    }

    public override int InFlight => _inFlight;

    public override bool AwaitsCompletions => _inFlight > 0;

    public override bool HasCompletions => _deviceResources is not null && _deviceResources.ReadCounter(_counter) != _done;

    public override TxQueueStatistics Statistics => new(_packets, _bytes, _completed, _descriptors, _full, _doorbells) { BytesCompleted = _bytesCompleted, Wakes = _wakes,
            ChecksumOffloads = ChecksumOffloads, TsoFrames = TsoFrames, TsoSegments = TsoSegments };

    public override bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        int length = frame.Length;
        if (length == 0 || length > _maxFrame)
            throw new ArgumentOutOfRangeException(nameof(frame), length, "a frame is 1 … " + _maxFrame + " bytes on " + Name);

        // Plan where the bytes go: the header part never wraps (pad to the start instead), the payload may.
        int headerLength = Math.Min(length, (int)GvnicConstants.GqTxMinPktDescBytes);
        int payloadLength = length - headerLength;
        int head = _fifoHead;
        int padding = head + headerLength > _fifoSize ? _fifoSize - head : 0;
        int headerAt = padding > 0 ? 0 : head;
        int payloadAt = headerAt + headerLength;
        if (payloadAt == _fifoSize) payloadAt = 0;
        int first = Math.Min(payloadLength, _fifoSize - payloadAt);
        int second = payloadLength - first;
        int end = second > 0 ? second : payloadAt + first;
        int aligned = (end + FifoAlignment - 1) & ~(FifoAlignment - 1);
        int used = padding + length + (aligned - end);
        int newHead = aligned >= _fifoSize ? aligned - _fifoSize : aligned;
        int descriptors = 1 + (first > 0 ? 1 : 0) + (second > 0 ? 1 : 0);

        if (Ring.Free(_posted, _done, _size) < descriptors || used > _fifoFree || ReservationsFull)
        {
            Reclaim();
            if (Ring.Free(_posted, _done, _size) < descriptors || used > _fifoFree || ReservationsFull)
            {
                _full++;
                _refused = true;
                return false;
            }
        }

        frame.Slice(0, headerLength).CopyTo(new Span<byte>(_fifo + headerAt, headerLength));
        if (first > 0) frame.Slice(headerLength, first).CopyTo(new Span<byte>(_fifo + payloadAt, first));
        if (second > 0) frame.Slice(headerLength + first).CopyTo(new Span<byte>(_fifo, second));

        Span<byte> ring = new(_ring.Pointer, _size * TxPktDesc.Size);
        WritePacket(ring, descriptors, length, headerLength, headerAt, Reserve(used, headerAt));
        if (first > 0) WriteSegment(ring, _posted + 1, payloadAt, first);
        if (second > 0) WriteSegment(ring, _posted + 2, 0, second);

        _posted += (uint)descriptors;
        _descriptors += descriptors;
        _fifoHead = newHead;
        _fifoFree -= used;
        _packets++;
        _bytes += length;
        _inFlight++;
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
        return true;
    }

    /// <summary>
    /// The packet descriptor of a frame of <paramref name="length"/> bytes at <see cref="_posted"/>: its first
    /// <paramref name="headerLength"/> bytes at FIFO offset <paramref name="headerAt"/>, <paramref name="descriptors"/> in all;
    /// the slot remembers the frame's reservation and length for the reclaim.
    /// </summary>
    private void WritePacket(Span<byte> ring, int descriptors, int length, int headerLength, int headerAt, int reservation)
    {
        int slot = Ring.Slot(_posted, _mask);
        ref TxPktDesc packet = ref TxPktDesc.AsRef(ring.Slice(slot * TxPktDesc.Size));
        packet = default;
        packet.Type = TxdType.Std;
        packet.DescCnt = (byte)descriptors;
        packet.Len = (ushort)length;
        packet.SegLen = (ushort)headerLength;
        packet.SegAddr = _fifoAddress + (ulong)headerAt;
        _slotReservation[slot] = reservation + 1;
        _frameBytes[slot] = length;
    }

    private void WriteSegment(Span<byte> ring, uint counter, int offset, int length)
    {
        int slot = Ring.Slot(counter, _mask);
        ref TxSegDesc segment = ref TxSegDesc.AsRef(ring.Slice(slot * TxSegDesc.Size));
        segment = default;
        segment.Type = TxdType.Seg;
        segment.SegLen = (ushort)length;
        segment.SegAddr = _fifoAddress + (ulong)offset;
        _slotReservation[slot] = 0;
    }

    public override void RingDoorbell()
    {
        if (_rung == _posted) return;
        Interlocked.MemoryBarrier();
        _bar2.WriteDoorbell(_doorbell, _posted);
        _rung = _posted;
        _doorbells++;
    }

    public override int Reclaim()
    {
        if (_deviceResources is null) return 0;
        uint reported = _deviceResources.ReadCounter(_counter);
        if (reported == _done) return 0;
        if (!Ring.IsWithin(reported, _done, _rung))
            throw new DeviceFaultException(Name, "event counter", _counter, reported,
                "the device reports " + unchecked(reported - _done) + " more descriptors done, but only " + unchecked(_rung - _done) + " were posted (done " + _done + ", doorbell " + _rung + ")");
        int frames = 0;
        while (_done != reported)
        {
            int slot = Ring.Slot(_done, _mask);
            int reservation = _slotReservation[slot] - 1;
            if (reservation >= 0)
            {
                _slotReservation[slot] = 0;
                EndReservation(reservation);
                _bytesCompleted += _frameBytes[slot];
                frames++;
            }
            _done++;
        }
        _completed += frames;
        _inFlight -= frames;
        return frames;
    }

    private bool ReservationsFull => _nextReservation - _oldestReservation > _reservationMask;

    /// <summary>Records the newest reservation: <paramref name="bytes"/> of FIFO (padding included), the frame at <paramref name="at"/>; its index.</summary>
    private int Reserve(int bytes, int at)
    {
        int r = (int)(_nextReservation & _reservationMask);
        _reservationBytes[r] = bytes;
        _reservationAt[r] = at;
        _reservationEnded[r] = false;
        _nextReservation++;
        return r;
    }

    /// <summary>Ends reservation <paramref name="r"/> and frees the bytes of the oldest ones, in FIFO order, as far as they have all ended.</summary>
    private void EndReservation(int r)
    {
        _reservationEnded[r] = true;
        while (_oldestReservation != _nextReservation)
        {
            int oldest = (int)(_oldestReservation & _reservationMask);
            if (!_reservationEnded[oldest]) break;
            _fifoFree += _reservationBytes[oldest];
            _oldestReservation++;
        }
    }

    public override int LendCapacity => _maxFrame;

    /// <summary>A buffer of <see cref="LendCapacity"/> bytes (rounded up to the FIFO alignment) at the FIFO head, never wrapping; its reservation.</summary>
    protected override int TakeBuffer()
    {
        if (_oldestReservation == _nextReservation) _fifoHead = 0; // nothing reserved: the FIFO is empty, start at its beginning
        int head = _fifoHead;
        int padding = head + _lendBytes > _fifoSize ? _fifoSize - head : 0;
        int used = padding + _lendBytes;
        if (used > _fifoFree || ReservationsFull)
        {
            Reclaim();
            if (used > _fifoFree || ReservationsFull) return -1;
        }
        int at = padding > 0 ? 0 : head;
        int newHead = at + _lendBytes;
        _fifoHead = newHead == _fifoSize ? 0 : newHead;
        _fifoFree -= used;
        return Reserve(used, at);
    }

    protected override Span<byte> BufferData(int index) => new(_fifo + _reservationAt[index], _maxFrame);

    /// <summary>The packet descriptor carries the first bytes (up to 182), one segment descriptor the rest (the buffer never wraps).</summary>
    protected override bool PostBuffer(int index, int length)
    {
        int headerLength = Math.Min(length, (int)GvnicConstants.GqTxMinPktDescBytes);
        int rest = length - headerLength;
        int descriptors = rest > 0 ? 2 : 1;
        if (Ring.Free(_posted, _done, _size) < descriptors)
        {
            Reclaim();
            if (Ring.Free(_posted, _done, _size) < descriptors)
            {
                _full++;
                _refused = true;
                return false;
            }
        }
        int at = _reservationAt[index];
        Span<byte> ring = new(_ring.Pointer, _size * TxPktDesc.Size);
        WritePacket(ring, descriptors, length, headerLength, at, index);
        if (rest > 0) WriteSegment(ring, _posted + 1, at + headerLength, rest);
        _posted += (uint)descriptors;
        _descriptors += descriptors;
        _packets++;
        _bytes += length;
        _inFlight++;
        if (_refused)
        {
            _refused = false;
            _wakes++;
        }
        return true;
    }

    protected override void GiveBack(int index) => EndReservation(index);
}
