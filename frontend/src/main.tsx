import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { AppRoutes } from './App';
import { AuthProvider } from './auth/AuthContext';
import { BrandingProvider } from './branding/BrandingContext';
import { I18nProvider } from './i18n/I18nContext';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <AuthProvider>
        <BrandingProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </BrandingProvider>
      </AuthProvider>
    </I18nProvider>
  </StrictMode>,
);
