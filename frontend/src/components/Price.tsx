import type { Money } from '../api/types';
import { formatMoney } from '../catalog/format';
import { useI18n } from '../i18n/I18nContext';

/** A course price: "Бесплатно"/"Free" for free courses, otherwise money from minor units. */
export function usePriceText(): (course: { is_free: boolean; price: Money | null | undefined }) => string {
  const { t, lang } = useI18n();
  return (course) =>
    course.is_free || !course.price || course.price.amount <= 0 ? t('price.free') : formatMoney(course.price, lang);
}

export function Price({ course, className }: { course: { is_free: boolean; price: Money | null | undefined }; className?: string }) {
  const priceText = usePriceText();
  const free = course.is_free || !course.price || course.price.amount <= 0;
  return <span className={`price${free ? ' price-free' : ''}${className ? ` ${className}` : ''}`}>{priceText(course)}</span>;
}
