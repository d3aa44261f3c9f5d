// Where the active environment sits in the status bar (left side): its colour dot, then its name, two items that must
// stay side by side. VS Code orders left items by priority, highest first, and items of equal priority in the order
// they were added, so a pair placed at a priority a built-in item also uses is split by it: at 40 (Hammock's first
// choice) the remote windows' Forwarded Ports item (status.forwardedPorts, LEFT, 40: code-server, SSH, WSL, Codespaces)
// came between the dot and the name ("●  (( 3  ⧉ Local").

/** The environment's name. */
export const ENVIRONMENT_PRIORITY = 39;
/** Its colour dot, just left of the name. */
export const ENVIRONMENT_DOT_PRIORITY = 39.001;

/** Built-in left items near the pair (VS Code 1.100): their ids and priorities. */
export const BUILT_IN_LEFT_PRIORITIES: readonly { id: string; priority: number }[] = [
  { id: 'status.problems', priority: 50 },
  { id: 'status.forwardedPorts', priority: 40 },
];
