namespace Gvnic.SchemaLint.Docs;

/// <summary>Names of each <see cref="DocArea"/>: page file, title and JSON key.</summary>
public static class DocAreas
{
    /// <summary>Every area in page order.</summary>
    public static readonly DocArea[] All = { DocArea.Registers, DocArea.AdminQueue, DocArea.DeviceOptions, DocArea.Gqi, DocArea.Dqo, DocArea.Mailbox, DocArea.Other };

    /// <summary>The Markdown file of the area's page, e.g. <c>admin-queue.md</c>.</summary>
    public static string FileName(DocArea area) => area switch
    {
        DocArea.Registers => "registers.md",
        DocArea.AdminQueue => "admin-queue.md",
        DocArea.DeviceOptions => "device-options.md",
        DocArea.Gqi => "gqi.md",
        DocArea.Dqo => "dqo.md",
        DocArea.Mailbox => "mailbox.md",
        _ => "other.md",
    };

    /// <summary>The page title.</summary>
    public static string Title(DocArea area) => area switch
    {
        DocArea.Registers => "Registers",
        DocArea.AdminQueue => "Admin queue",
        DocArea.DeviceOptions => "Device descriptor and options",
        DocArea.Gqi => "GQI descriptors",
        DocArea.Dqo => "DQO descriptors",
        DocArea.Mailbox => "Mailbox (PCI 1ae0:0043)",
        _ => "Other structs",
    };

    /// <summary>The stable key used in <c>layout --json</c>, e.g. <c>admin_queue</c>.</summary>
    public static string Key(DocArea area) => area switch
    {
        DocArea.Registers => "registers",
        DocArea.AdminQueue => "admin_queue",
        DocArea.DeviceOptions => "device_options",
        DocArea.Gqi => "gqi",
        DocArea.Dqo => "dqo",
        DocArea.Mailbox => "mailbox",
        _ => "other",
    };
}
