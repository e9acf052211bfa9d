import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { recordOverviewReady } from './lib/benchmark';
import { applyTheme, savedTheme } from './lib/theme';
import './styles.css';

applyTheme(savedTheme());
recordOverviewReady();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
