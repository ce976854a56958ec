import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
} from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/** Each field selected directly in a selection set, through fragments too, with its own selections. */
function* fieldsOf(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
): Generator<{ name: string; selectionSet: SelectionSetNode | undefined }> {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      yield { name: selection.name.value, selectionSet: selection.selectionSet };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      yield* fieldsOf(selection.selectionSet, fragments);
    } else {
      yield* fieldsOf(fragments[selection.name.value]?.selectionSet, fragments);
    }
  }
}

/** Names of the fields a query selects on the value of the field being resolved, fragments included. */
function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) {
    for (const field of fieldsOf(node.selectionSet, info.fragments)) names.add(field.name);
  }
  return names;
}

/**
 * Names of the fields a query selects on the nodes of the connection being resolved, in
 * `nodes { … }` and in `edges { node { … } }`, fragments included. `@skip`/`@include` are not
 * evaluated, so the set may hold more than is finally read, never less.
 */
export function connectionNodeFields(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
): Set<string> {
  const names = new Set<string>();
  const { fragments } = info;
  const collect = (set: SelectionSetNode | undefined) => {
    for (const field of fieldsOf(set, fragments)) names.add(field.name);
  };
  for (const node of info.fieldNodes) {
    for (const field of fieldsOf(node.selectionSet, fragments)) {
      if (field.name === 'nodes') collect(field.selectionSet);
      if (field.name === 'edges') {
        for (const edgeField of fieldsOf(field.selectionSet, fragments)) {
          if (edgeField.name === 'node') collect(edgeField.selectionSet);
        }
      }
    }
  }
  return names;
}

/** For each GraphQL field of a row-backed type, the row properties its resolver reads. */
export type ColumnsOfFields<Row> = Record<string, readonly (keyof Row & string)[]>;

/**
 * The row properties the selected fields read. Null, meaning every column, when a field is not in
 * the map.
 */
export function columnsFor<Row>(
  fields: ReadonlySet<string>,
  columnsOfFields: ColumnsOfFields<Row>,
): (keyof Row & string)[] | null {
  const columns = new Set<keyof Row & string>();
  for (const field of fields) {
    if (field === '__typename') continue;
    const needed = columnsOfFields[field];
    if (!needed) return null;
    for (const column of needed) columns.add(column);
  }
  return [...columns];
}

type Columns<Row> = (keyof Row & string)[] | null;

// Per place in a document (its field nodes, shared by every row and, through Yoga's parse cache,
// by every request with the same document) and per column map.
const columnsByPlace = new WeakMap<readonly FieldNode[], Map<object, string[] | null>>();

function atPlace<Row>(
  info: Pick<GraphQLResolveInfo, 'fieldNodes'>,
  map: ColumnsOfFields<Row>,
  compute: () => Columns<Row>,
): Columns<Row> {
  let byMap = columnsByPlace.get(info.fieldNodes);
  if (!byMap) {
    byMap = new Map();
    columnsByPlace.set(info.fieldNodes, byMap);
  }
  if (!byMap.has(map)) byMap.set(map, compute());
  return byMap.get(map) as Columns<Row>;
}

/** `columnsFor` the fields selected on this field's value, computed once per place in a document. */
export function columnsOfSelection<Row>(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  map: ColumnsOfFields<Row>,
): Columns<Row> {
  return atPlace(info, map, () => columnsFor(selectedFields(info), map));
}

/** `columnsFor` the fields selected on this connection's nodes, computed once per place. */
export function columnsOfConnectionNodes<Row>(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  map: ColumnsOfFields<Row>,
): Columns<Row> {
  return atPlace(info, map, () => columnsFor(connectionNodeFields(info), map));
}
