import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { RootErrorBoundary } from './RootErrorBoundary';
import { setTransport } from './store/transport-ref';
import { createTransport } from './transport';
// Fonts ship with the app (no CDN): it must look the same offline, on any laptop.
import '@fontsource-variable/inter';
import '@fontsource-variable/jetbrains-mono';
import './styles.css';

setTransport(createTransport());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RootErrorBoundary>
      <App />
    </RootErrorBoundary>
  </StrictMode>,
);
