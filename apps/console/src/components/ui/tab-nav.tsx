import { NavLink } from 'react-router';

export interface TabLink {
  to: string;
  label: string;
  count?: number | undefined;
}

/** Tabs that are links, so every tab is a deep link that survives a reload. */
export function TabNav({ label, tabs }: { label: string; tabs: TabLink[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} className="tabs__tab" end>
          {tab.label}
          {tab.count !== undefined ? <span className="tabs__count">{tab.count}</span> : null}
        </NavLink>
      ))}
    </nav>
  );
}
