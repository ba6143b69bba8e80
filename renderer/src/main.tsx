import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { bridgeFromWindow, createClient } from './ipc/client';
import { ClientContext } from './ipc/ClientContext';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

try {
  const client = createClient(bridgeFromWindow());
  root.render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <App />
      </ClientContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <main className="fatal" role="alert">
      <h1>Vitals Desk cannot start</h1>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </main>,
  );
}
