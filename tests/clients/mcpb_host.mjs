// How Claude Desktop turns an installed bundle into a launch command, with the host code the pinned
// @anthropic-ai/mcpb package ships: ${__dirname} and ${user_config.*} substituted, defaults merged in, and no
// command at all (null) while a required setting is missing.
//
//   node mcpb_host.mjs <unpacked bundle dir> '<user config as JSON>'
//   -> {"latestManifestVersion": "...", "config": {"command": ..., "args": [...], "env": {...}} | null}
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import { getMcpConfigForManifest, LATEST_MANIFEST_VERSION } from "@anthropic-ai/mcpb";

const [extensionPath, userConfig] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(extensionPath, "manifest.json"), "utf8"));
const home = homedir();
const config = await getMcpConfigForManifest({
  manifest,
  extensionPath,
  systemDirs: {
    HOME: home,
    DESKTOP: join(home, "Desktop"),
    DOCUMENTS: join(home, "Documents"),
    DOWNLOADS: join(home, "Downloads"),
  },
  userConfig: JSON.parse(userConfig),
  pathSeparator: "/",
});
process.stdout.write(JSON.stringify({ latestManifestVersion: LATEST_MANIFEST_VERSION, config: config ?? null }));
