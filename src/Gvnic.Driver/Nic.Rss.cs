using System;
using Gvnic.Driver.ControlPlane;
using Gvnic.Driver.Lifecycle;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>RSS: the key, indirection table and hash types the device steers received frames by (CONFIGURE_RSS, QUERY_RSS).</summary>
public sealed partial class Nic
{
    /// <summary>The RSS configuration last accepted by the device (merged: parts left null kept what came before); null before any.</summary>
    private RssConfiguration? _rss;

    /// <summary>
    /// Whether the device offers RSS configuration with the format in use (the RSS_CONFIG option, or a DQO format); true
    /// also when the option's sizes are unusable (<see cref="RssKeySize"/> and <see cref="ConfigureRss"/> then throw a
    /// <see cref="DeviceFaultException"/> naming the field).
    /// </summary>
    public bool RssSupported
    {
        get
        {
            try
            {
                SteeringLimits.Rss(Device, Plan);
                return true;
            }
            catch (NicConfigurationException)
            {
                return false;
            }
            catch (DeviceFaultException)
            {
                return true;
            }
        }
    }

    /// <summary>The RSS key length in bytes the device takes (its RSS_CONFIG option's hash_key_size; 40 on DQO without the option).</summary>
    /// <exception cref="NicConfigurationException">The device offers no RSS with the format in use.</exception>
    /// <exception cref="DeviceFaultException">The device's RSS_CONFIG sizes cannot be used.</exception>
    public int RssKeySize => SteeringLimits.Rss(Device, Plan).KeySize;

    /// <summary>The RSS indirection-table size in entries the device takes (its RSS_CONFIG option's hash_lut_size; 128 on DQO without the option).</summary>
    /// <exception cref="NicConfigurationException">The device offers no RSS with the format in use.</exception>
    /// <exception cref="DeviceFaultException">The device's RSS_CONFIG sizes cannot be used.</exception>
    public int RssIndirectionTableSize => SteeringLimits.Rss(Device, Plan).TableSize;

    /// <summary>
    /// Configures RSS (CONFIGURE_RSS): the hash types, and the key and the indirection table that are given (a null key or
    /// table leaves the device's unchanged). The configuration is applied again after a recovery.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException">The key or table is not the size the device takes, a table entry names no RX queue of this NIC, or the hash types are none or unknown.</exception>
    /// <exception cref="NicConfigurationException">The device offers no RSS with the format in use.</exception>
    /// <exception cref="DeviceFaultException">The device's RSS_CONFIG sizes cannot be used.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public void ConfigureRss(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        NicInstance instance = InService();
        (int keySize, int tableSize, _) = SteeringLimits.Rss(instance.Device, instance.Plan);
        if (configuration.HashTypes == 0)
            throw new ArgumentException("no RSS hash types: name at least one (e.g. RssConfiguration.DefaultHashTypes: TCP and UDP over IPv4 and IPv6)", nameof(configuration));
        if (!RssHashTypesInfo.IsDefined(configuration.HashTypes))
            throw new ArgumentException("RSS hash types 0x" + ((ushort)configuration.HashTypes).ToString("X") + " include unknown bits 0x"
                + ((ushort)(configuration.HashTypes & ~RssHashTypesInfo.All)).ToString("X") + " (known: 0x" + ((ushort)RssHashTypesInfo.All).ToString("X") + ", RssHashTypes)", nameof(configuration));
        if (configuration.HashAlgorithm != RssHashAlg.Toeplitz)
            throw new ArgumentException("RSS hash algorithm " + configuration.HashAlgorithm + " is not offered: gVNIC hashes with Toeplitz only", nameof(configuration));
        if (configuration.Key is byte[] key && key.Length != keySize)
            throw new ArgumentException("the RSS key has " + key.Length + " bytes; the device takes exactly " + keySize + " (Nic.RssKeySize)", nameof(configuration));
        if (configuration.IndirectionTable is int[] table)
        {
            if (table.Length != tableSize)
                throw new ArgumentException("the RSS indirection table has " + table.Length + " entries; the device takes exactly " + tableSize + " (Nic.RssIndirectionTableSize)", nameof(configuration));
            for (int i = 0; i < table.Length; i++)
            {
                if ((uint)table[i] >= (uint)instance.Rx.Length)
                    throw new ArgumentException("RSS indirection table entry " + i + " is queue " + table[i] + "; the NIC has " + instance.Rx.Length
                        + " RX queues (0 … " + (instance.Rx.Length - 1) + ")", nameof(configuration));
            }
        }
        ControlPlaneOf(instance).ConfigureRss(configuration.HashTypes, configuration.Key, configuration.IndirectionTable);
        _rss = new RssConfiguration
        {
            HashTypes = configuration.HashTypes,
            Key = (byte[]?)(configuration.Key ?? _rss?.Key)?.Clone(),
            IndirectionTable = (int[]?)(configuration.IndirectionTable ?? _rss?.IndirectionTable)?.Clone(),
        };
    }

    /// <summary>
    /// The device's RSS configuration: asked with QUERY_RSS when the device has the RSS_CONFIG option; otherwise (a DQO
    /// device without it, as upstream) what <see cref="ConfigureRss"/> last set.
    /// </summary>
    /// <exception cref="NicConfigurationException">The device offers no RSS with the format in use, or it cannot be asked and nothing was configured yet.</exception>
    /// <exception cref="DeviceFaultException">The device's answer is malformed (its length, algorithm, or a table entry naming no RX queue).</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public RssConfiguration QueryRss()
    {
        NicInstance instance = InService();
        (int keySize, int tableSize, bool queryable) = SteeringLimits.Rss(instance.Device, instance.Plan);
        if (!queryable)
        {
            return _rss is RssConfiguration cached
                ? cached with { Key = (byte[]?)cached.Key?.Clone(), IndirectionTable = (int[]?)cached.IndirectionTable?.Clone() }
                : throw new NicConfigurationException("the device has no RSS_CONFIG option, so QUERY_RSS cannot be asked, and ConfigureRss has set nothing yet (upstream keeps what it configured on such devices)");
        }
        byte[] answer = ControlPlaneOf(instance).QueryRss();
        return RssAnswer.Parse(answer, keySize, tableSize, instance.Rx.Length);
    }

    /// <summary>
    /// The instance in service, for a steering command: a device that reset itself, asks for a reset, or has one pending,
    /// or whose admin queue failed under an earlier command, is recovered first (with <see cref="NicOptions.AutoRecover"/>; without it the command is refused), so that no
    /// command goes to a device that no longer holds the admin queue.
    /// </summary>
    private NicInstance InService()
    {
        ObjectDisposedException.ThrowIf(_instance is null, this);
        DeviceStatusFlags status = _bar0.ReadDeviceStatus();
        // Revision ≥ 1: DEVICE_IS_RESET still set from the bring-up's own reset (a device may clear it a little after RUN)
        // cannot be told from a reset yet; wait until it clears or counts as a reset (AdminTimeout after the bring-up).
        while (_pci.RevisionId != 0 && (status & DeviceStatusFlags.DeviceIsReset) != 0 && !DeviceResetItself(status))
        {
            System.Threading.Thread.Sleep(1);
            status = _bar0.ReadDeviceStatus();
        }
        GvnicException? failed = ControlPlaneFailure();
        if (_resetPending || (status & DeviceStatusFlags.Reset) != 0 || DeviceResetItself(status) || failed is not null)
        {
            if (!_options.AutoRecover)
            {
                throw failed is null
                    ? new DeviceResetException("the device has reset (or asks for a reset); call Recover before configuring RX steering")
                    : new GvnicException("the admin queue failed earlier (" + failed.Message + ") and takes no further command; call Recover before configuring RX steering", failed);
            }
            Service();
            if (_resetPending) throw new InvalidOperationException("a device reset is pending until the open RxLease is disposed; RX steering waits for it");
        }
        return _instance ?? throw new ObjectDisposedException(nameof(Nic));
    }

    private static IControlPlane ControlPlaneOf(NicInstance instance)
        => instance.Journal.ControlPlane ?? throw new InvalidOperationException("the NIC's control plane was never started");

    /// <summary>
    /// After a recovery: the RSS configuration and the flow rules the device held are set again, as the last step of the
    /// recovery's bring-up. A device that refuses them fails the recovery as a failed bring-up does: the new instance is
    /// torn down and the NIC is left disposed, with the error thrown.
    /// </summary>
    private void RestoreSteering()
    {
        if (_instance is not NicInstance instance || (_rss is null && _flowRules.Count == 0)) return;
        try
        {
            if (_rss is RssConfiguration rss) ControlPlaneOf(instance).ConfigureRss(rss.HashTypes, rss.Key, rss.IndirectionTable);
            RestoreFlowRules(instance);
        }
        catch (GvnicException)
        {
            if (TakeOutOfService() is NicInstance failed)
            {
                try
                {
                    TearDown(failed.Journal, TeardownCause.Orderly);
                }
                catch (NicTeardownException)
                {
                    // The restore error is the one to report; memory the device may hold stays kept.
                }
            }
            throw;
        }
    }
}
