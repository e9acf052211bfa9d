/**
 * Navigation for pages that later issues add. They are listed (so the navigation does not jump
 * when they land) and marked "soon"; each links to a short page that says what is coming. Flip
 * `enabled` and add the route in App.tsx when one lands.
 */
export interface UpcomingFeature {
  path: string;
  label: string;
  description: string;
  enabled: boolean;
}

export const UPCOMING: UpcomingFeature[] = [
  { path: '/chat', label: 'Chat', description: 'Talk to your agents and see each conversation’s cost and tool calls.', enabled: true },
  { path: '/approvals', label: 'Approvals', description: 'Approve or reject the actions agents propose before they run.', enabled: true },
];
