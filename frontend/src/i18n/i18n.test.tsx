import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { api } from '../api/client';
import { LanguageSelect } from '../components/LanguageSelect';
import { I18nProvider, LANG_STORAGE_KEY, translate, useI18n } from './I18nContext';
import { messages } from './messages';

function Probe() {
  const { t, lang } = useI18n();
  return (
    <p data-lang={lang}>
      {t('field.email')} / {t('action.signIn')}
    </p>
  );
}

describe('i18n', () => {
  it('defaults to Russian', () => {
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Эл. почта / Войти')).toBeTruthy();
    expect(document.documentElement.lang).toBe('ru');
    expect(api.language).toBe('ru');
  });

  it('switches to English, remembers the choice and updates Accept-Language', async () => {
    const user = userEvent.setup();
    render(
      <I18nProvider>
        <LanguageSelect />
        <Probe />
      </I18nProvider>,
    );

    await user.selectOptions(screen.getByLabelText('Язык интерфейса'), 'en');

    expect(screen.getByText('Email / Sign in')).toBeTruthy();
    expect(screen.getByLabelText('Interface language')).toBeTruthy();
    expect(window.localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(api.language).toBe('en');
  });

  it('restores the stored language on start and ignores junk values', () => {
    window.localStorage.setItem(LANG_STORAGE_KEY, 'en');
    const { unmount } = render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Email / Sign in')).toBeTruthy();
    unmount();

    window.localStorage.setItem(LANG_STORAGE_KEY, 'de');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('Эл. почта / Войти')).toBeTruthy();
  });

  it('interpolates parameters', () => {
    expect(translate('en', 'pagination.page', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(translate('ru', 'pagination.page', { page: 2, pages: 5 })).toBe('Страница 2 из 5');
  });

  it('has the same keys in every language and no empty strings', () => {
    const ruKeys = Object.keys(messages.ru).sort();
    expect(Object.keys(messages.en).sort()).toEqual(ruKeys);
    for (const lang of ['ru', 'en'] as const) {
      for (const value of Object.values(messages[lang])) expect(value.trim()).not.toBe('');
    }
  });

  it('uses the exact labels the end-to-end tests rely on', () => {
    const pairs: Array<[keyof typeof messages.ru, string, string]> = [
      ['field.email', 'Эл. почта', 'Email'],
      ['field.password', 'Пароль', 'Password'],
      ['field.confirmPassword', 'Повторите пароль', 'Confirm password'],
      ['field.slug', 'Адрес (slug)', 'Slug'],
      ['field.adminEmail', 'E-mail администратора', 'Admin e-mail'],
      ['field.primaryColor', 'Основной цвет', 'Primary colour'],
      ['action.createTenant', 'Создать арендатора', 'Create tenant'],
      ['action.setPassword', 'Сохранить пароль', 'Set password'],
      ['user.logout', 'Выйти', 'Log out'],
      ['nav.storefront', 'Каталог', 'Catalogue'],
      ['nav.learning', 'Моё обучение', 'My learning'],
      ['nav.authoring', 'Авторство', 'Authoring'],
      ['field.search', 'Поиск', 'Search'],
      ['catalog.category', 'Категория', 'Category'],
      ['catalog.level', 'Уровень', 'Level'],
      ['catalog.language', 'Язык', 'Language'],
      ['catalog.freeOnly', 'Только бесплатные', 'Free only'],
      ['price.free', 'Бесплатно', 'Free'],
      ['course.enrolFree', 'Записаться бесплатно', 'Enrol for free'],
      ['course.continueLearning', 'Продолжить обучение', 'Continue learning'],
      ['course.buySoon', 'Купить (скоро)', 'Buy (coming soon)'],
      ['course.preview', 'Превью', 'Preview'],
      ['lesson.speed', 'Скорость', 'Speed'],
      ['lesson.completed', 'Пройдено', 'Completed'],
      ['quiz.start', 'Начать тест', 'Start quiz'],
      ['quiz.submit', 'Отправить ответы', 'Submit answers'],
      ['quiz.passed', 'Тест пройден', 'Passed'],
      ['quiz.failed', 'Тест не пройден', 'Not passed'],
      ['quiz.tryAgain', 'Попробовать снова', 'Try again'],
      ['verify.valid', 'Действителен', 'Valid'],
      ['verify.revoked', 'Отозван', 'Revoked'],
      ['verify.notFound', 'Сертификат не найден', 'Certificate not found'],
      ['authoring.newCourse', 'Новый курс', 'New course'],
      ['field.courseTitle', 'Название курса', 'Title'],
      ['authoring.addModule', 'Добавить модуль', 'Add module'],
      ['field.moduleTitle', 'Название модуля', 'Module title'],
      ['authoring.addLesson', 'Добавить урок', 'Add lesson'],
      ['field.lessonTitle', 'Название урока', 'Lesson title'],
      ['field.lessonKind', 'Тип урока', 'Lesson type'],
      ['field.freePreview', 'Бесплатное превью', 'Free preview'],
      ['field.required', 'Обязательный', 'Required'],
      ['field.text', 'Текст', 'Text'],
      ['field.videoFile', 'Видеофайл', 'Video file'],
      ['field.file', 'Файл', 'File'],
      ['authoring.moveUp', 'Выше', 'Move up'],
      ['authoring.moveDown', 'Ниже', 'Move down'],
      ['authoring.publish', 'Опубликовать', 'Publish'],
      ['authoring.unpublish', 'Снять с публикации', 'Unpublish'],
      ['authoring.preview', 'Предпросмотр', 'Preview as learner'],
      ['admin.sso', 'Единый вход', 'Single sign-on'],
      ['sso.login.with', 'Войти через {name}', 'Sign in with {name}'],
      ['sso.login.passwordToggle', 'Войти по паролю (для администраторов)', 'Sign in with a password (administrators)'],
      ['sso.discover.found', 'Ваша компания использует единый вход', 'Your company signs in with single sign-on'],
      ['sso.discover.continue', 'Продолжить через единый вход', 'Continue with single sign-on'],
      ['sso.addProvider', 'Добавить поставщика', 'Add provider'],
      ['sso.protocol.saml', 'SAML 2.0', 'SAML 2.0'],
      ['sso.protocol.oidc', 'OpenID Connect', 'OpenID Connect'],
      ['sso.field.preset', 'Шаблон настроек', 'Preset'],
      ['sso.field.metadataUrl', 'URL метаданных', 'Metadata URL'],
      ['sso.field.metadataFile', 'Файл метаданных', 'Metadata file'],
      ['sso.field.discoveryUrl', 'URL обнаружения (Discovery URL)', 'Discovery URL'],
      ['sso.field.clientId', 'Идентификатор клиента (Client ID)', 'Client ID'],
      ['sso.field.clientSecret', 'Секрет клиента (Client secret)', 'Client secret'],
      ['sso.saveProvider', 'Сохранить поставщика', 'Save provider'],
      ['sso.mapping.label', 'Атрибут для {field}', 'Attribute for {field}'],
      ['sso.field.jit', 'Создавать учётные записи при первом входе', 'Create accounts on first sign-in'],
      ['sso.field.idpInitiated', 'Разрешить вход, начатый на стороне IdP', 'Allow IdP-initiated sign-in'],
      ['sso.enable', 'Включить', 'Enable'],
      ['sso.disable', 'Выключить', 'Disable'],
      ['sso.test', 'Проверить подключение', 'Test connection'],
      ['sso.policy.required', 'Требовать единый вход', 'Require single sign-on'],
      ['sso.policy.fallback', 'Резервный администратор (сохраняет вход по паролю)', 'Fallback admin (keeps password sign-in)'],
      ['sso.policy.save', 'Сохранить правила', 'Save policy'],
      ['sso.domains.field', 'Почтовый домен', 'E-mail domain'],
    ];
    for (const [key, ru, en] of pairs) {
      expect(messages.ru[key]).toBe(ru);
      expect(messages.en[key]).toBe(en);
    }
  });
});

