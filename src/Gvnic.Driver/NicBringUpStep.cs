using System;

namespace Gvnic.Driver;

/// <summary>
/// One finished step of bring-up or teardown, as reported to <see cref="NicOptions.Progress"/>.
/// </summary>
/// <param name="Phase">Bring-up or teardown.</param>
/// <param name="Name">
/// The step: a phase of the driver (<c>options</c>, <c>PCI function</c>, <c>driver version</c>, <c>queue limits</c>,
/// <c>admin queue</c>, <c>plan</c>, <c>RX buffers</c>, <c>interrupts</c>, <c>notification blocks</c>, <c>reset</c>,
/// <c>bus mastering</c>, <c>DMA memory</c>) or an admin command by its upstream name, followed by the queue or
/// page-list id for per-queue commands (<c>DESCRIBE_DEVICE</c>, <c>CREATE_TX_QUEUE 0</c>, <c>REGISTER_PAGE_LIST 4</c>).
/// </param>
/// <param name="Detail">What the step did or found (<c>MAC 42:01:0a:80:00:02, MTU 1460, …</c>), or why it failed.</param>
/// <param name="Elapsed">
/// Time since the previous step finished (since <see cref="Nic.Open"/> or <see cref="Nic.Dispose"/> began, for the first),
/// measured with <see cref="NicOptions.TimeProvider"/>. Commands sent behind one doorbell are reported when the
/// batch completes, so the first of them carries the batch's wait.
/// </param>
/// <param name="Failed">Whether the step failed; the detail then says why (bring-up stops, teardown goes on).</param>
public readonly record struct NicBringUpStep(NicPhase Phase, string Name, string Detail, TimeSpan Elapsed, bool Failed);
