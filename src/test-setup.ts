import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { useToastStore } from './components/ui/toast'

afterEach(() => {
  // Testing Library unmounts automatically only when test globals are on; they are off here.
  cleanup()
  // Toasts live in a module-level store: none may leak into the next test.
  useToastStore.setState({ toasts: [] })
})
