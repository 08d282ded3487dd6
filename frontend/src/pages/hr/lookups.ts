import { hrApi } from '../../api/endpoints';
import type { CourseCard, Department, Group } from '../../api/types';
import { useLoad } from './useLoad';

/** Pick-list data shared by the HR pages (filters, forms). */
export function useDepartments() {
  return useLoad<Department[]>(async (signal) => (await hrApi.departments(signal)).results, []);
}

export function useGroups() {
  return useLoad<Group[]>(async (signal) => (await hrApi.allGroups(signal)).results, []);
}

export function useCourses() {
  return useLoad<CourseCard[]>((signal) => hrApi.assignableCourses(signal), []);
}

/** Department paths for selects and check lists ("A / B / C" reads better than "A/B/C"). */
export function departmentLabel(path: string): string {
  return path.split('/').join(' / ');
}

export function departmentOptions(departments: readonly Department[] | null): Array<readonly [string, string]> {
  return (departments ?? []).map((d) => [String(d.id), departmentLabel(d.path)] as const);
}
