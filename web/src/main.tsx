import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';

import App from './App';
import { AuthProvider } from './auth/Auth';
import { I18nProvider } from './i18n/I18n';
import { LiveProvider } from './live/Live';
import './styles.css';

document.documentElement.lang = localStorage.getItem('tiketi.lang') === 'en' ? 'en' : 'ko';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <LiveProvider>
        <AuthProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AuthProvider>
      </LiveProvider>
    </I18nProvider>
  </StrictMode>,
);
